using System.ComponentModel.DataAnnotations;

namespace WebApp;

/// <summary>The settings the sample binds from etcd's <c>/webapp/Checkout/...</c> keys.</summary>
public sealed class CheckoutOptions
{
    /// <summary>The greeting shown to shoppers.</summary>
    [Required]
    public string Banner { get; set; } = "";

    /// <summary>How many items one order may hold: 1 to 100. etcd changes outside that are held back.</summary>
    [Range(1, 100)]
    public int MaxItems { get; set; }

    /// <summary>Payment providers, in order of preference.</summary>
    public List<string> Providers { get; set; } = [];
}
