using System.ComponentModel.DataAnnotations;

namespace EtcdConfiguration.Tests.Validation;

/// <summary>Options with data annotations, gated in the tests.</summary>
public sealed class CheckoutOptions
{
    [Range(1, 100)]
    public int MaxItems { get; set; }

    [Required]
    [StringLength(3, MinimumLength = 3)]
    public string Currency { get; set; } = string.Empty;
}

/// <summary>Options of another section, never gated.</summary>
public sealed class ShippingOptions
{
    public string Carrier { get; set; } = string.Empty;
}
