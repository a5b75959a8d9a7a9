package org.flashlab.reference.event;

/** Counters of a server with disk helpers (AMTED, AMPED), for tests, lessons and metrics. */
public interface HelperStats {
    /** Responses handed to a helper because their pages were not in memory. */
    long helperSubmissions();

    /** Of those, the ones a helper has finished. */
    long helperFetches();

    /** Request paths handed to a helper to translate, because the pathname cache did not have them. */
    long helperTranslations();
}
