namespace EchoBridge.Contracts;

/// <summary>Which way bytes went, seen from the echo listener.</summary>
public enum TrafficDirection
{
    /// <summary>From the client to the listener.</summary>
    In,
    /// <summary>From the listener back to the client.</summary>
    Out,
}
