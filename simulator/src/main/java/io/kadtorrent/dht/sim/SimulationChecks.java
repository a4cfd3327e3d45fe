package io.kadtorrent.dht.sim;

/** Checks the simulations install on every step. */
final class SimulationChecks {

    private SimulationChecks() {
    }

    /** After every event, the routing table of the node that handled it must satisfy its invariants. */
    static void checkTablesAfterEveryStep(SimulatedNetwork network) {
        network.afterEveryStep(node -> {
            try {
                node.engine().routingTable().checkInvariants();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("seed " + network.seed() + ", node " + node + ": " + e.getMessage(), e);
            }
        });
    }
}
