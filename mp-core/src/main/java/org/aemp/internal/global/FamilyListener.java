package org.aemp.internal.global;

import java.util.List;
import java.util.Map;

/**
 * Watches one family of the distributed database (AEMP {@code db_mon}); the API's
 * {@code DbListener} says what the calls mean. Called on a worker, one call at a time, in order.
 */
@FunctionalInterface
public interface FamilyListener {

    /**
     * @param family the family's current contents, key to value
     * @param added keys that are new
     * @param changed keys whose value was set again
     * @param deleted keys that are gone
     */
    void changed(Map<String, Object> family, List<String> added, List<String> changed, List<String> deleted);
}
