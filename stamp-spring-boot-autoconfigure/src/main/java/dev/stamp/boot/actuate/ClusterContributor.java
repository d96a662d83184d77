package dev.stamp.boot.actuate;

/**
 * What the {@code stamp} endpoint shows under {@code /actuator/stamp/cluster}. A bean of
 * this type exists only while this node is part of a cluster, so the endpoint needs no
 * cluster classes (nor Redis) otherwise.
 */
@FunctionalInterface
public interface ClusterContributor {

	/**
	 * The live nodes and their aggregate, as this node sees them now. Answers within a
	 * bounded time also when the cluster's store does not: with this node's own view and
	 * the reason.
	 * @return the description of the cluster
	 */
	ClusterDescriptor describe();

}
