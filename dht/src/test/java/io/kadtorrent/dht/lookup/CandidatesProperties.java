package io.kadtorrent.dht.lookup;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The sorted-array {@link Candidates} against the tree map and hash set it replaced: the same answer to every
 * add, the same entries in the same order, the same confirmations, over ids that repeat, addresses that
 * repeat and more contacts than {@link Candidates#MAX_CANDIDATES}.
 */
class CandidatesProperties {

    /** The former implementation, kept here as the model. */
    private static final class Model {
        final TreeMap<NodeId, Contact> byDistance;
        final Map<NodeId, Boolean> confirmed = new java.util.HashMap<>();
        final Map<NodeId, NodeId> referrers = new java.util.HashMap<>();
        final Set<InetSocketAddress> addresses = new HashSet<>();

        Model(NodeId target) {
            byDistance = new TreeMap<>(target::compareDistance);
        }

        boolean add(Contact c, NodeId referrer) {
            Contact known = byDistance.get(c.id());
            if (known != null) {
                if (referrer != null && !referrer.equals(referrers.get(c.id())) && known.address().equals(c.address())) {
                    confirmed.put(c.id(), true);
                }
                return false;
            }
            if (!addresses.add(c.address())) {
                return false;
            }
            byDistance.put(c.id(), c);
            referrers.put(c.id(), referrer);
            confirmed.put(c.id(), referrer == null);
            if (byDistance.size() > Candidates.MAX_CANDIDATES) {
                Contact dropped = byDistance.pollLastEntry().getValue();
                addresses.remove(dropped.address());
                return !dropped.id().equals(c.id());
            }
            return true;
        }
    }

    @Property(tries = 200)
    void behavesAsTheTreeItReplaced(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int adds,
                                    @ForAll @IntRange(min = 4, max = 300) int distinctIds,
                                    @ForAll @IntRange(min = 4, max = 300) int distinctAddresses) throws UnknownHostException {
        SplittableRandom random = new SplittableRandom(seed);
        NodeId target = NodeId.random(random);
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < distinctIds; i++) {
            // Some ids share a long prefix with the target, as a converging lookup's do.
            ids.add(random.nextBoolean() ? NodeId.random(random)
                    : NodeId.randomWithPrefix(target, random.nextInt(NodeId.BITS), random));
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < distinctAddresses; i++) {
            addresses.add(new InetSocketAddress(InetAddress.getByAddress(new byte[]{10, 0, (byte) (i >> 8), (byte) i}),
                    6881 + random.nextInt(2)));
        }
        Candidates candidates = new Candidates(target);
        Model model = new Model(target);
        for (int i = 0; i < adds; i++) {
            Contact c = new Contact(ids.get(random.nextInt(ids.size())), addresses.get(random.nextInt(addresses.size())));
            NodeId referrer = random.nextInt(4) == 0 ? null : ids.get(random.nextInt(Math.min(5, ids.size())));
            assertEquals(model.add(c, referrer), candidates.add(c, 0, referrer), "add #" + i);
        }
        List<Contact> expected = new ArrayList<>(model.byDistance.values());
        assertEquals(expected.size(), candidates.size());
        for (int i = 0; i < expected.size(); i++) {
            Candidates.Candidate c = candidates.at(i);
            assertEquals(expected.get(i), c.contact);
            assertEquals(model.confirmed.get(c.contact.id()), c.confirmed);
            assertSame(c, candidates.get(c.contact.id()));
        }
        for (NodeId id : ids) {
            if (model.byDistance.containsKey(id)) {
                assertNotNull(candidates.get(id));
            } else {
                assertNull(candidates.get(id));
            }
        }
    }
}
