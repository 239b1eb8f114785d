namespace EtcdConfiguration;

/// <summary>
/// How the value stored at an etcd key becomes configuration values. Whatever the format, a value must be valid
/// UTF-8; a value that cannot be decoded is reported and the key keeps its last good values.
/// </summary>
public enum EtcdValueFormat
{
    /// <summary>
    /// The default. A value whose first non-blank character is <c>{</c> or <c>[</c> is parsed as JSON and
    /// flattened beneath its key exactly as the JSON file provider flattens a file: <c>key:child</c>,
    /// <c>key:0</c>, <c>key:1</c>…, numbers keeping their literal text, <c>true</c>/<c>false</c> giving
    /// <c>True</c>/<c>False</c>, <c>null</c> giving a null value, an empty object a null value and an empty array an
    /// empty string. Comments and trailing commas are allowed inside. Any other value is its UTF-8 text, unchanged
    /// (so <c>"abc"</c> keeps its quotes and <c>null</c> is the four letters).
    /// </summary>
    Auto,

    /// <summary>
    /// Every value is its UTF-8 text, never parsed, even when it looks like JSON.
    /// </summary>
    Raw,

    /// <summary>
    /// Every value must be JSON, and a value that is not is reported as an error. Objects and arrays are flattened
    /// as in <see cref="Auto"/>; a JSON string such as <c>"abc"</c> gives <c>abc</c>; any other JSON scalar gives
    /// what the JSON file provider gives the same property (<c>1.50</c> stays <c>1.50</c>, <c>true</c> gives
    /// <c>True</c>, <c>null</c> gives a null value).
    /// </summary>
    Json,
}
