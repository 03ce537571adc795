using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Pinecone.Tests.Conformance;

/// <summary>
/// A fresh adapter per test on the shared fake. On disposal it fails the test when the fake has recorded any request
/// body that Pinecone's official schema does not allow, so every conformance test also checks the adapter's wire format.
/// </summary>
internal sealed class FakeBackedStorage
{
    private PineconeTestHost? _host;

    public IVectorStorage Create()
    {
        _host = PineconeTestHost.For(SharedFake.Get());
        return _host.Storage;
    }

    public async ValueTask ReleaseAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        var violations = SharedFake.Get().SpecViolations;
        Assert.True(violations.Count == 0, "the fake saw request bodies the Pinecone spec does not allow: " + string.Join(" | ", violations.Select(v => $"{v.Method} {v.Path}: {string.Join("; ", v.Problems)}")));
    }
}
