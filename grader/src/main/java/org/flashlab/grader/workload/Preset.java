package org.flashlab.grader.workload;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Workloads with the character of the paper's two traces (Figure 8), at sizes a lab can choose.
 * The paper's exact trace statistics are not reproduced (they are not verified here); what is kept
 * is the relation that decides the result: whether the data fits in the memory the server has.
 */
public enum Preset {
    /** Rice's Owlnet trace: student pages, small, mostly cached. Dataset below the cache. */
    OWLNET(0.25, 1.0),
    /** Rice's CS department trace: large, disk-bound. Dataset well above the cache. */
    CS(3.0, 0.8);

    private final double datasetOverMemory;
    private final double zipfExponent;

    Preset(double datasetOverMemory, double zipfExponent) {
        this.datasetOverMemory = datasetOverMemory;
        this.zipfExponent = zipfExponent;
    }

    /** Dataset size as a multiple of the memory budget for cached file data. */
    public double datasetOverMemory() {
        return datasetOverMemory;
    }

    public double zipfExponent() {
        return zipfExponent;
    }

    /** Generates the dataset for a memory budget, and a trace of {@code length} requests over it. */
    public Workload generate(Path root, long memoryBudgetBytes, int length, long seed) throws IOException {
        return generateSized(root, (long) (memoryBudgetBytes * datasetOverMemory), length, seed);
    }

    /**
     * A dataset of a chosen size with this trace's popularity, for sweeps that move the dataset
     * across the memory limit (the paper's Figure 9).
     */
    public Workload generateSized(Path root, long datasetBytes, int length, long seed) throws IOException {
        Dataset dataset = Dataset.surge(root, datasetBytes, seed);
        Trace trace = Trace.zipf(dataset.files().size(), length, zipfExponent, seed);
        return new Workload(dataset, trace);
    }

    /** A dataset and the requests over it. */
    public record Workload(Dataset dataset, Trace trace) {}
}
