using System.CommandLine;
using EtcdConfiguration.Client;

namespace EtcdConfiguration.Tool.Cli;

/// <summary>
/// The options every command takes: where etcd is, how to authenticate, which prefix, and <c>--json</c>. The
/// password never comes from the command line: from <c>ETCD_CONFIG_PASSWORD</c>, or a prompt on a terminal.
/// </summary>
internal sealed class ConnectionOptions
{
    public const string EndpointsVariable = "ETCD_CONFIG_ENDPOINTS";
    public const string PasswordVariable = "ETCD_CONFIG_PASSWORD";
    public const string DefaultEndpoint = "http://127.0.0.1:2379";

    public Option<string?> Endpoints { get; } = new("--endpoints")
    {
        Description = $"etcd client URLs, comma-separated (default: ${EndpointsVariable}, else {DefaultEndpoint}).",
        HelpName = "URLS",
        Recursive = true,
    };

    public Option<string> Prefix { get; } = new("--prefix")
    {
        Description = "The key prefix the app's AddEtcd reads, such as /myapp/ (a directory: /myapp is the same).",
        HelpName = "PREFIX",
        Recursive = true,
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = $"etcd user; the password comes from ${PasswordVariable} or a prompt, never from the command line.",
        HelpName = "NAME",
        Recursive = true,
    };

    public Option<string?> CaCert { get; } = new("--cacert")
    {
        Description = "PEM file of the CA that signed the etcd servers' certificates.",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string?> Cert { get; } = new("--cert")
    {
        Description = "PEM client certificate, for etcd's --client-cert-auth.",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "PEM key of the client certificate.",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<EtcdValueFormat> ValueFormat { get; } = new("--value-format")
    {
        Description = "How the app's source reads values (its ValueFormat): Auto (default), Json or Raw.",
        DefaultValueFactory = _ => EtcdValueFormat.Auto,
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable JSON output.",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Add(Endpoints);
        root.Add(Prefix);
        root.Add(User);
        root.Add(CaCert);
        root.Add(Cert);
        root.Add(Key);
        root.Add(ValueFormat);
        root.Add(Json);
    }

    /// <summary>The value format of the app's source, which decides how values map and how they are written.</summary>
    public EtcdValueFormat Format(ParseResult parse) => parse.GetValue(ValueFormat);

    /// <summary>The prefix, which every command needs.</summary>
    public string GetPrefix(ParseResult parse) =>
        parse.GetValue(Prefix) is { Length: > 0 } prefix
            ? prefix
            : throw new ToolException("The option --prefix is required: give the key prefix the app reads, such as --prefix /myapp/.");

    /// <summary>Connects to etcd, waiting at most the dial timeout for an endpoint to answer.</summary>
    public async Task<EtcdClient> ConnectAsync(ParseResult parse, ToolContext context, CancellationToken cancellationToken)
    {
        var endpoints = parse.GetValue(Endpoints) ?? context.Environment(EndpointsVariable);
        var options = new EtcdClientOptions
        {
            Endpoints = EtcdClient.SplitEndpoints(string.IsNullOrWhiteSpace(endpoints) ? DefaultEndpoint : endpoints),
            CaCertificateFile = parse.GetValue(CaCert),
            ClientCertificateFile = parse.GetValue(Cert),
            ClientKeyFile = parse.GetValue(Key),
            DialTimeout = TimeSpan.FromSeconds(5),
        };
        if (parse.GetValue(User) is { Length: > 0 } user)
        {
            options.Username = user;
            options.Password = context.Environment(PasswordVariable)
                ?? context.PromptPassword?.Invoke($"Password for etcd user '{user}': ")
                ?? throw new ToolException($"No password for etcd user '{user}': set {PasswordVariable}, or run in a terminal to be asked for it.");
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ToolException(ex.Message);
        }

        return await EtcdClient.ConnectAsync(options, cancellationToken);
    }
}
