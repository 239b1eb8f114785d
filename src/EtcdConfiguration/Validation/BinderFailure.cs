using System.Text.RegularExpressions;

namespace EtcdConfiguration.Validation;

/// <summary>
/// A message for a value the configuration binder could not convert that names the key and the type, never the
/// value: the binder's own message quotes the value ("Failed to convert configuration value '…' at 'Checkout:MaxItems'
/// to type 'System.Int32'."), and a value may be a secret.
/// </summary>
internal static partial class BinderFailure
{
    public static string Describe(InvalidOperationException failure)
    {
        var match = PathAndType().Match(failure.Message);
        return match.Success
            ? $"The value at '{match.Groups["path"].Value}' cannot be converted to {match.Groups["type"].Value}."
            : $"Binding the options failed ({failure.GetType().Name}); the binder's message is not shown, as it may quote a value.";
    }

    // The tail of the binder's Error_FailedBinding message, which comes after the quoted value.
    [GeneratedRegex(@" at '(?<path>[^']*)' to type '(?<type>[^']*)'\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex PathAndType();
}
