package org.aemp;

import java.util.List;
import java.util.Map;

/**
 * Watches one family of the distributed database (AEMP {@code db_mon}). The first call reports
 * the whole family as added (even when it is empty); later calls report changes. A "change" may
 * report a key whose value did not really change, as in AEMP.
 *
 * <p>Called on a worker thread, one call at a time and in order for the node. The map and lists
 * are snapshots that belong to the call.
 */
@FunctionalInterface
public interface DbListener {

    /**
     * @param family the family's current contents, key to value
     * @param added keys that are new
     * @param changed keys whose value was set again
     * @param deleted keys that are gone
     */
    void changed(Map<String, Object> family, List<String> added, List<String> changed, List<String> deleted);
}
