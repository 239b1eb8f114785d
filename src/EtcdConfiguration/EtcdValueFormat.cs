namespace EtcdConfiguration;

/// <summary>
/// How the value stored at an etcd key becomes configuration values.
/// </summary>
public enum EtcdValueFormat
{
    /// <summary>
    /// The default. A value whose first non-blank character is <c>{</c> or <c>[</c> is parsed as JSON and
    /// flattened beneath its key exactly as the JSON file provider flattens a file (<c>key:child</c>,
    /// <c>key:0</c>, …). Any other value is its UTF-8 text, unchanged.
    /// </summary>
    Auto,

    /// <summary>
    /// Every value is its UTF-8 text, never parsed.
    /// </summary>
    Raw,

    /// <summary>
    /// Every value must be JSON. Objects and arrays are flattened as in <see cref="Auto"/>; a JSON string such as
    /// <c>"abc"</c> gives <c>abc</c>; any other JSON scalar gives the text the JSON file provider gives it
    /// (numbers keep their literal text, <c>true</c> and <c>false</c> become <c>True</c> and <c>False</c>,
    /// <c>null</c> becomes an empty string). A value that is not JSON is reported as an error.
    /// </summary>
    Json,
}
