package org.flashlab.grader.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A request sequence over a dataset's files, determined by its seed. Popularity is Zipf-like: the
 * k-th most popular file is requested in proportion to 1/k^s (Breslau et al., INFOCOM 1999, found
 * s near 0.8 for web caches; 1.0 is the classic Zipf). Which file is most popular is itself a seeded
 * shuffle, so popularity and size are independent, as in the paper's traces.
 *
 * @param requests indices into the dataset's file list, in request order
 */
public record Trace(int[] requests) {

    /** {@code length} requests over {@code files} files with Zipf exponent {@code s}. */
    public static Trace zipf(int files, int length, double s, long seed) {
        if (files < 1 || length < 0) {
            throw new IllegalArgumentException("need at least one file and a non-negative length");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] cumulative = new double[files];
        double sum = 0;
        for (int k = 0; k < files; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cumulative[k] = sum;
        }
        int[] rankToFile = new int[files];
        for (int i = 0; i < files; i++) {
            rankToFile[i] = i;
        }
        for (int i = files - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int t = rankToFile[i];
            rankToFile[i] = rankToFile[j];
            rankToFile[j] = t;
        }
        int[] requests = new int[length];
        for (int r = 0; r < length; r++) {
            int rank = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
            rank = rank < 0 ? -rank - 1 : rank;
            requests[r] = rankToFile[Math.min(rank, files - 1)];
        }
        return new Trace(requests);
    }

    /** How many distinct files the trace touches. */
    public int distinctFiles() {
        return (int) Arrays.stream(requests).distinct().count();
    }
}
