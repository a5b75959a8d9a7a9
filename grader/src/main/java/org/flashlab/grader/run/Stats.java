package org.flashlab.grader.run;

import java.util.Locale;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * One number measured n times: its mean, median and a 95% confidence interval for the mean
 * (Student's t, since n is small). Two setups whose intervals do not overlap differ for real; two
 * whose intervals overlap may not, whatever their means say.
 */
public record Stats(int n, double mean, double median, double low, double high, double min, double max) {

    public static Stats of(double... values) {
        if (values.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        DescriptiveStatistics d = new DescriptiveStatistics(values);
        double mean = d.getMean();
        if (values.length == 1) {
            return new Stats(1, mean, mean, Double.NaN, Double.NaN, mean, mean); // one run has no spread to speak of
        }
        double t = new TDistribution(values.length - 1).inverseCumulativeProbability(0.975);
        double half = t * d.getStandardDeviation() / Math.sqrt(values.length);
        return new Stats(values.length, mean, d.getPercentile(50), mean - half, mean + half, d.getMin(), d.getMax());
    }

    /**
     * True when the interval's half-width exceeds the mean: the interval then reaches below zero, and
     * the runs say almost nothing. Few runs get there easily: with two, t is 12.7, so runs of 9,000
     * and 9,800 req/s already give 9,400 ± 5,100.
     */
    public boolean tooWide() {
        return n > 1 && (high - low) / 2 > Math.abs(mean);
    }

    /** "12345 ± 210 (median 12400, min 12100, max 12600, n=5)": the form a report shows. */
    public String format(String unitFormat) {
        if (n == 0) {
            return "no successful runs";
        }
        String m = String.format(Locale.ROOT, unitFormat, mean);
        if (n == 1) {
            return m + " (one run: no interval)";
        }
        return m + " ± " + String.format(Locale.ROOT, unitFormat, (high - low) / 2)
                + " (median " + String.format(Locale.ROOT, unitFormat, median)
                + ", min " + String.format(Locale.ROOT, unitFormat, min)
                + ", max " + String.format(Locale.ROOT, unitFormat, max) + ", n=" + n + ")";
    }
}
