using Grpc.Core;

namespace EtcdConfiguration.Client.Internal;

/// <summary>How a failure reads in a log line or a message: one line, in words, down to the root cause.</summary>
internal static class FailureText
{
    /// <summary>
    /// A failure in one line: the status and the transport's messages down to the root cause (a refused
    /// connection, a certificate whose name does not match...), since the outer ones rarely say why.
    /// </summary>
    /// <remarks>
    /// Never an <see cref="RpcException"/>'s own message: that is gRPC's debug dump
    /// (<c>Status(StatusCode=…, Detail=…, DebugException=…)</c>), not a sentence for a log or a health page.
    /// </remarks>
    public static string Describe(Exception exception) => exception switch
    {
        RpcException rpc when rpc.Status.DebugException is { } debug => $"{rpc.StatusCode}: {DescribeChain(debug)}",
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        _ => DescribeChain(exception),
    };

    /// <summary>The messages of <paramref name="exception"/> and its inner exceptions, joined by arrows, each once.</summary>
    public static string DescribeChain(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RpcException rpc)
            {
                // Its message is the debug dump; the status and the cause underneath say the same in words.
                messages.Add(Describe(rpc));
                break;
            }

            var message = current.Message.TrimEnd('.', ' ');
            if (message.Length > 0 && !messages.Contains(message))
            {
                messages.Add(message);
            }
        }

        return string.Join(" -> ", messages);
    }

    /// <summary>Ends <paramref name="text"/> with a full stop, so a sentence appended after it does not run into it.</summary>
    public static string EndSentence(string text) =>
        text.Length == 0 || text[^1] is '.' or '!' or '?' ? text : text + ".";
}
