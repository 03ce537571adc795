using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Theodore.Infrastructure.Tests.Decorators;

/// <summary>
/// A real redis-server (the Debian package; .ci/run installs it) on a free loopback port, without persistence, for
/// one test class. Started on construction, killed on dispose. Where it is not installed and this is not CI, nothing
/// starts and the tests that need it (<see cref="RedisFactAttribute"/>) are skipped, saying why; in CI they run.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process? _process;

    public RedisServer()
    {
        Port = FreePort();
        if (RedisFactAttribute.SkipReason is not null)
        {
            return;
        }

        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start; install it with apt-get install -y redis-server.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilReady();
    }

    public int Port { get; }

    /// <summary>The server's address alone: StackExchange.Redis's default timeouts (5 s).</summary>
    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The address with 60 s timeouts. The tests that use it assert what the cache shares, not how fast Redis answers:
    /// with the default 5 s, a call once waited past it in CI behind a test that starved the process's pool threads,
    /// and the cache rightly answered that search from the backend. What a timeout does is tested on its own, with
    /// <see cref="Pause"/>.
    /// </summary>
    public string Configuration => Address + ",connectTimeout=60000,syncTimeout=60000,asyncTimeout=60000";

    /// <summary>Stops the server process (SIGSTOP) until the returned handle is disposed (SIGCONT): a stall on demand.</summary>
    public IDisposable Pause()
    {
        Signal("STOP");
        return new Resume(this);
    }

    /// <summary>
    /// Waits until a key matching <paramref name="pattern"/> exists. HybridCache writes to Redis after it has handed
    /// the value to its caller, so a test that wants the second instance to find the entry waits for the write first.
    /// </summary>
    public async Task WaitForKeyAsync(string pattern)
    {
        var deadline = Stopwatch.StartNew();
        while (CountKeys(pattern) == 0)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"No key matching '{pattern}' appeared in Redis within 20 s.");
            }

            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private sealed class Resume(RedisServer server) : IDisposable
    {
        public void Dispose() => server.Signal("CONT");
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process!.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} exited with {kill.ExitCode}.");
        }
    }

    private int CountKeys(string pattern)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, Port);
        using var stream = client.GetStream();
        var length = Encoding.UTF8.GetByteCount(pattern).ToString(CultureInfo.InvariantCulture);
        stream.Write(Encoding.UTF8.GetBytes($"*2\r\n$4\r\nKEYS\r\n${length}\r\n{pattern}\r\n"));
        var buffer = new byte[64];
        var read = stream.Read(buffer);
        var reply = Encoding.ASCII.GetString(buffer, 0, read);
        var end = reply.IndexOf('\r', StringComparison.Ordinal);
        return reply.StartsWith('*') && end > 1 ? int.Parse(reply.AsSpan(1, end - 1), CultureInfo.InvariantCulture) : throw new InvalidOperationException($"Unexpected reply to KEYS: {reply}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // readiness, not timing: the server answers PING within the deadline or the fixture fails with a reason
    private void WaitUntilReady()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} before it served.");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                using var stream = client.GetStream();
                stream.Write("PING\r\n"u8);
                var buffer = new byte[16];
                var read = stream.Read(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }

            Thread.Sleep(50);
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING in 20 s.");
    }
}

/// <summary>
/// A test that needs a real redis-server. Skipped where redis-server is not on the PATH, so `dotnet test` on a fresh
/// machine needs only the .NET SDK; never skipped in CI (<c>CI=true</c>), where .ci/run installs it and a missing
/// server fails the test.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        Skip = SkipReason;
    }

    /// <summary>Why the Redis tests cannot run here, or null when they can (or must: CI).</summary>
    public static string? SkipReason { get; } = IsCi() || IsInstalled()
        ? null
        : "redis-server is not installed (apt-get install -y redis-server); CI installs it and runs this test";

    private static bool IsCi() => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "redis-server")));
}
