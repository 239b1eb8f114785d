namespace EtcdConfiguration.Client;

/// <summary>How a <see cref="Compare"/> relates the key's actual attribute to the given operand.</summary>
public enum CompareResult
{
    /// <summary>The attribute equals the operand (<c>=</c>).</summary>
    Equal = 0,

    /// <summary>The attribute is greater than the operand (<c>&gt;</c>); values compare as bytes.</summary>
    Greater = 1,

    /// <summary>The attribute is less than the operand (<c>&lt;</c>); values compare as bytes.</summary>
    Less = 2,

    /// <summary>The attribute differs from the operand (<c>!=</c>).</summary>
    NotEqual = 3,
}
