package io.kadtorrent.client.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One command's arguments read by hand, for the few commands that start without picocli ({@link PlainCommands}).
 *
 * <p>Only plain arguments are read: the command's name first, then options it declared here, each once (a
 * repeatable one any number of times) as {@code --name VALUE}, {@code --name=VALUE} or a flag, and positionals. No
 * value or positional may be empty or start with '-' or '@', except a negative number for a {@link #number} option. Anything else -- help, version, {@code -v}, an
 * unknown or repeated option, {@code --}, an argument file, one positional too many -- is not plain: then
 * picocli parses the command as always, with its help, messages and exit codes, so a command reads the same
 * either way.
 */
final class PlainArgs {

    private enum Kind { FLAG, SINGLE, NUMBER, REPEATABLE }

    private final String command;
    private final Map<String, Kind> kinds = new HashMap<>();
    /** Every name of an option to its first name, which {@link #value} and the others take. */
    private final Map<String, String> firstNames = new HashMap<>();
    private int maxPositionals;

    private PlainArgs(String command) {
        this.command = command;
    }

    /** Arguments of {@code command}, which takes no options until they are declared. */
    static PlainArgs of(String command) {
        return new PlainArgs(command);
    }

    /** A boolean option without a value. */
    PlainArgs flag(String name) {
        return declare(Kind.FLAG, name);
    }

    /** An option given at most once with one value, under any of its names. */
    PlainArgs option(String name, String... aliases) {
        return declare(Kind.SINGLE, name, aliases);
    }

    /** An option given at most once with an integer value, which may be negative ({@code --dht-port -1}). */
    PlainArgs number(String name) {
        return declare(Kind.NUMBER, name);
    }

    /** An option that may be given several times, one value each. */
    PlainArgs repeatable(String name) {
        return declare(Kind.REPEATABLE, name);
    }

    PlainArgs positionals(int max) {
        maxPositionals = max;
        return this;
    }

    private PlainArgs declare(Kind kind, String name, String... aliases) {
        kinds.put(name, kind);
        firstNames.put(name, name);
        for (String alias : aliases) {
            firstNames.put(alias, name);
        }
        return this;
    }

    /** The values read from {@code args}, or empty when they are not plain (see the class comment). */
    Optional<Parsed> parse(String[] args) {
        if (args.length == 0 || !args[0].equals(command)) {
            return Optional.empty();
        }
        Parsed parsed = new Parsed();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                if (!isPlainValue(arg) || parsed.positionals.size() == maxPositionals) {
                    return Optional.empty();
                }
                parsed.positionals.add(arg);
                continue;
            }
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = firstNames.get(eq < 0 ? arg : arg.substring(0, eq));
            if (name == null) {
                return Optional.empty(); // unknown, or picocli's own (--help, --, -v)
            }
            Kind kind = kinds.get(name);
            List<String> seen = parsed.values.get(name);
            if (seen != null && kind != Kind.REPEATABLE) {
                return Optional.empty(); // picocli refuses an option given twice
            }
            String value;
            if (kind == Kind.FLAG) {
                if (eq >= 0) {
                    return Optional.empty();
                }
                value = "";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return Optional.empty();
            }
            if (kind != Kind.FLAG && !isPlainValue(value) && !(kind == Kind.NUMBER && isNegativeNumber(value))) {
                return Optional.empty();
            }
            if (seen == null) { // no lambda here: each costs a cold start its own bootstrap
                seen = new ArrayList<>();
                parsed.values.put(name, seen);
            }
            seen.add(value);
        }
        return Optional.of(parsed);
    }

    private static boolean isNegativeNumber(String value) {
        return value.length() > 1 && value.length() <= 10 && value.charAt(0) == '-'
                && value.chars().skip(1).allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isPlainValue(String value) {
        return !value.isEmpty() && !value.startsWith("-") && !value.startsWith("@");
    }

    /** What plain arguments said: options under their first names. */
    static final class Parsed {
        private final Map<String, List<String>> values = new HashMap<>();
        private final List<String> positionals = new ArrayList<>();

        boolean has(String option) {
            return values.containsKey(option);
        }

        /** The option's value, or null when it was not given. */
        String value(String option) {
            List<String> v = values.get(option);
            return v == null ? null : v.get(0);
        }

        /** Every value of a repeatable option, in order; empty when it was not given. */
        List<String> values(String option) {
            return values.getOrDefault(option, List.of());
        }

        List<String> positionals() {
            return positionals;
        }

        /** {@code text} as a path, or empty when it is not one (picocli then reports it). */
        static Optional<Path> path(String text) {
            try {
                return Optional.of(Path.of(text));
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }
    }
}
