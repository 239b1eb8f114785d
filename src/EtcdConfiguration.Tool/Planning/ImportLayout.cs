namespace EtcdConfiguration.Tool.Planning;

/// <summary>How <c>import</c> lays a file out in etcd.</summary>
internal enum ImportLayout
{
    /// <summary>One etcd key per configuration value (<c>{prefix}Checkout/MaxItems</c>).</summary>
    Keys,

    /// <summary>The whole file as one JSON document in the prefix key itself: always one transaction.</summary>
    Document,
}
