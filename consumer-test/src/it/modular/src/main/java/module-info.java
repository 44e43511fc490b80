/** A user's module: it reads only what mp-core exports. */
module com.example.modular {
    requires org.aemp.core;
    // named too, so that the node finds them through their provides clauses
    requires org.aemp.codec.json;
    requires org.aemp.auth;

    exports com.example.modular;
}
