namespace EtcdConfiguration.Client.Internal;

/// <summary>Parses an endpoint string into the absolute http(s) URI a gRPC channel needs.</summary>
internal static class EndpointAddress
{
    public static bool TryParse(string endpoint, bool defaultToHttps, out Uri uri)
    {
        uri = null!;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return false;
        }

        var text = endpoint.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = (defaultToHttps ? "https://" : "http://") + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(parsed.Host))
        {
            return false;
        }

        uri = new Uri(parsed.GetLeftPart(UriPartial.Authority));
        return true;
    }
}
