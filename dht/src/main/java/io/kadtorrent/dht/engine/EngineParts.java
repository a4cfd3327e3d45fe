package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.routing.RoutingTable;

import java.util.function.BooleanSupplier;

/**
 * The parts of one {@link DhtEngine} that its {@link DatagramIntake} and {@link LookupStarter} both act through.
 *
 * @param readOnly whether the engine is in BEP 43's read-only state now
 */
record EngineParts(AddressFamily family, RoutingTable table, OutgoingQueries queries, TablePinger pinger,
                   BooleanSupplier readOnly) {
}
