using System.Globalization;
using System.Resources;
using EchoBridge.Client.Lab;

namespace EchoBridge.Client.Tests.Lab;

/// <summary>Every lab text exists in English and in Spanish, and the Spanish is not a copy of the English.</summary>
public class LabResourcesTests
{
    public static TheoryData<Type> Components =>
    [
        typeof(LabPage), typeof(LabLink), typeof(KernelPanel), typeof(AcceptQueueMeter), typeof(BacklogExperiment),
        typeof(SessionTimeline), typeof(CloseReasons), typeof(LessonCode), typeof(ReuseAddressExperiment),
        typeof(StreamDatagramExperiment), typeof(HalfCloseExperiment),
    ];

    [Theory]
    [MemberData(nameof(Components))]
    public void Every_key_has_a_spanish_text_and_placeholders_match(Type component)
    {
        var resources = new ResourceManager(component.FullName!, component.Assembly);
        var english = resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        var spanish = resources.GetResourceSet(CultureInfo.GetCultureInfo("es"), createIfNotExists: true, tryParents: false)!;
        var englishTexts = english.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        var spanishTexts = spanish.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

        Assert.NotEmpty(englishTexts);
        Assert.Equal(englishTexts.Keys.Order(), spanishTexts.Keys.Order());
        foreach (var (key, text) in englishTexts)
        {
            Assert.Equal(Placeholders(text), Placeholders(spanishTexts[key]));
        }

        // Code words (SO_REUSEADDR, recv…) may stay as they are; most sentences must not.
        Assert.True(englishTexts.Count(e => e.Value != spanishTexts[e.Key]) * 2 >= englishTexts.Count, $"{component.Name}: most texts are not translated");
    }

    private static string[] Placeholders(string text) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Distinct().Order()];
}
