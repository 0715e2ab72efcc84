namespace OnSram.Runtime.Kernels;

/// <summary>Scalar special functions the base library lacks, in float64.</summary>
internal static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double OneOverSqrtPi = 0.5641895835477563;

    /// <summary>
    /// The error function. For |x| &lt; 2.5 the series erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1)),
    /// whose terms are all positive (no cancellation); above, 1 - erfc(x) with erfc from its continued
    /// fraction (40 levels, converged to double precision for x &gt;= 2.5); +-1 from |x| &gt;= 6.
    /// Absolute error about 1e-15.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }
        var a = Math.Abs(x);
        double r;
        if (a >= 6)
        {
            r = 1;
        }
        else if (a < 2.5)
        {
            var twoA2 = 2 * a * a;
            var term = a;
            var sum = a;
            for (var n = 0; n < 100 && term > sum * 1e-17; n++)
            {
                term *= twoA2 / (2 * n + 3);
                sum += term;
            }
            r = TwoOverSqrtPi * Math.Exp(-a * a) * sum;
        }
        else
        {
            // erfc(a) = e^(-a^2)/sqrt(pi) * 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))), evaluated bottom-up.
            var f = a;
            for (var k = 40; k >= 1; k--)
            {
                f = a + k * 0.5 / f;
            }
            r = 1 - Math.Exp(-a * a) * OneOverSqrtPi / f;
        }
        return double.IsNegative(x) ? -r : r;
    }

    /// <summary>e^x - 1 without cancellation near 0 (Kahan's method: (u - 1) * x / ln u with u = e^x).</summary>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }
        var um1 = u - 1.0;
        if (um1 == -1.0 || double.IsInfinity(u))
        {
            return um1;
        }
        return um1 * x / Math.Log(u);
    }
}
