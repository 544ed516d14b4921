// The product and its tests are for Linux (Unix sockets, signals, SO_PEERCRED, /proc).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
