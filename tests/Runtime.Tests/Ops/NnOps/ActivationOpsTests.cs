using OnSram.Runtime;
using OnSram.Runtime.Tests.Support;
using static OnSram.Runtime.Binding;

namespace OnSram.Runtime.Tests.Ops.NnOps;

public sealed class ActivationOpsTests
{
    public static TheoryData<string, DType> Cases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var d in OpTestData.Numeric)
        {
            data.Add("Relu", d);
            data.Add("Relu6", d);
            if (d.IsFloating())
            {
                data.Add("Elu", d);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Execute_AllAcceptedTypes_MatchesScalarReference(string op, DType dtype)
    {
        using var t = new TestContext();
        Func<double, double> reference = op switch
        {
            "Relu" => v => v > 0 ? v : 0,
            "Relu6" => v => v < 0 ? 0 : (v > 6 ? 6 : v),
            "Elu" => v => v > 0 ? v : Math.Exp(v) - 1,
            _ => throw new ArgumentException(op),
        };
        var (lo, hi) = dtype.IsInteger() ? (-1.0, 1.0) : (-9.0, 9.0); // integers are drawn x10

        OpTestData.CheckUnary(op, dtype, reference, lo, hi);
    }

    [Fact]
    public void Elu_TinyNegativeInputs_KeepRelativeAccuracy()
    {
        using var t = new TestContext();
        var x = new[] { -1e-7f, -3e-5f, -1e-3f };

        var y = tf.nn.elu(tf.constant(x)).ToArray<float>();

        for (var i = 0; i < x.Length; i++)
        {
            var expected = Math.Exp(x[i]) - 1; // exact enough in float64 at these magnitudes
            Math.Abs(y[i] - expected).Should().BeLessThan(Math.Abs(expected) * 1e-6, $"elu({x[i]})");
        }
    }

    [Fact]
    public void Elu_Int32_ThrowsNamingOpAndDType()
    {
        using var t = new TestContext();

        var act = () => tf.nn.elu(tf.constant(new[] { 1, -1 }));

        act.Should().Throw<OpException>().Which.Message.Should().Contain("Elu").And.Contain("int32[2]");
    }

    [Fact]
    public void Relu_WrongInputCount_ThrowsNamingOp()
    {
        using var t = new TestContext();
        var x = tf.zeros(new Shape(2));

        var act = () => t.Context.Execute("Relu", [x, x]);

        act.Should().Throw<OpException>().Which.Message.Should().Contain("Relu").And.Contain("1 inputs");
    }
}
