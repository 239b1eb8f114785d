using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Refuses a unary request larger than <see cref="EtcdClientOptions.MaxSendMessageSize"/> before it is sent, with
/// an <see cref="EtcdRequestTooLargeException"/> that names the call, its size and the limit (gRPC's own check says
/// neither). It is not an <see cref="RpcException"/>, so no retry pipeline takes it for a failure worth repeating.
/// </summary>
internal sealed class SendSizeLimit(int limit) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (request is IMessage message && message.CalculateSize() is var size && size > limit)
        {
            var operation = $"{context.Method.ServiceName.Split('.')[^1]}.{context.Method.Name}";
            throw new EtcdRequestTooLargeException(
                string.Create(CultureInfo.InvariantCulture, $"etcd {operation} was not sent: the request is {size:N0} bytes, more than MaxSendMessageSize ({limit:N0} bytes). ")
                + string.Create(CultureInfo.InvariantCulture, $"Split it into smaller requests or raise MaxSendMessageSize; etcd also refuses requests over its --max-request-bytes (1.5 MiB by default)."),
                operation,
                size,
                limit);
        }

        return continuation(request, context);
    }
}
