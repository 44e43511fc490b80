/** A user's module that tries to use an internal class of mp-core. */
module com.example.sneaky {
    requires org.aemp.core;
}
