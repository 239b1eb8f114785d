using System.Globalization;
using System.Text.RegularExpressions;

namespace EtcdConfiguration.Tool.Cli;

/// <summary>Durations as operators type them: <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>1h30m</c>, <c>1d</c>, or <c>00:15:00</c>.</summary>
internal static partial class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = Units().Match(text.Trim());
        if (match.Success && match.Length > 0)
        {
            foreach (Capture part in match.Groups["part"].Captures)
            {
                var unit = part.Value[^1];
                var amount = double.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
                duration += unit switch
                {
                    's' => TimeSpan.FromSeconds(amount),
                    'm' => TimeSpan.FromMinutes(amount),
                    'h' => TimeSpan.FromHours(amount),
                    _ => TimeSpan.FromDays(amount),
                };
            }

            return duration > TimeSpan.Zero;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?[smhd])+$")]
    private static partial Regex Units();
}
