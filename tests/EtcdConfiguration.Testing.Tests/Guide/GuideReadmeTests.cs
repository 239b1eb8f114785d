using EtcdConfiguration.Tests.Shared;

namespace EtcdConfiguration.Testing.Tests.Guide;

/// <summary>The README's testing guide quotes <see cref="CheckoutConfigurationTests"/> as it runs.</summary>
public sealed class GuideReadmeTests
{
    [Fact]
    public void The_README_quotes_every_snippet_of_the_guide_verbatim()
    {
        var snippets = ReadmeSnippets.Read("tests/EtcdConfiguration.Testing.Tests/Guide/CheckoutConfigurationTests.cs");

        Assert.Equal(["fixture", "tests"], snippets.Select(s => s.Name));
        foreach (var (name, code) in snippets)
        {
            Assert.True(ReadmeSnippets.Readme().Contains(code, StringComparison.Ordinal), $"README.md does not quote the '{name}' snippet of the testing guide verbatim.");
        }
    }
}
