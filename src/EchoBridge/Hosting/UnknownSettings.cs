using System.Reflection;

namespace EchoBridge.Hosting;

/// <summary>
/// Names the keys of a section that its options class has no property for, by their full path
/// (<c>EchoBridge:AccesToken</c>): the configuration binder refuses them too, but names only the property and the
/// class.
/// </summary>
public static class UnknownSettings
{
    /// <summary>Throws a <see cref="StartupException"/> naming every key under <paramref name="section"/> that <typeparamref name="T"/> does not bind.</summary>
    public static void Refuse<T>(IConfigurationSection section)
    {
        var unknown = Find(section, typeof(T)).ToList();
        if (unknown.Count > 0)
        {
            throw new StartupException($"unknown setting {string.Join(", ", unknown.Select(key => $"'{key}'"))} (see --help)");
        }
    }

    private static IEnumerable<string> Find(IConfigurationSection section, Type type)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                yield return child.Path;
            }
            else if (property.PropertyType.IsClass && property.PropertyType != typeof(string) && !property.PropertyType.IsAssignableTo(typeof(System.Collections.IEnumerable)))
            {
                foreach (var key in Find(child, property.PropertyType))
                {
                    yield return key;
                }
            }
        }
    }
}
