package io.pledge.rights.deadline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * Business days in the zone the policy's deadlines are read in, from the official calendar: for each year it
 * defines, the public holidays (weekdays off) and the make-up working days (Saturdays or Sundays that are worked,
 * China's 调休). A business day is a make-up working day, or Monday to Friday that is neither a holiday of its year
 * nor one of the extra configured holidays. A year the calendar does not define is counted Monday to Friday only
 * (minus the extra holidays), and every first use of such a year is reported (a warning, and the
 * {@code onUndefinedYear} callback). A deadline of n business days ends at the end of the n-th business day after
 * the day of receipt. The data are resource files, {@code calendar/years} and {@code calendar/<year>.properties}
 * beside this class, and the same files an operator puts in a folder ({@link #load(Path)}): a year published after a
 * release (the State Council announces each year's arrangement in November) is added without one. Pure code.
 */
public final class BusinessCalendar {

    private static final Logger LOG = Logger.getLogger(BusinessCalendar.class);
    private static final String BASE = "calendar/";

    /** One year's official data: weekdays off and weekend days worked. */
    public record Year(int year, Set<LocalDate> holidays, Set<LocalDate> workingDays) {

        public Year {
            holidays = Set.copyOf(holidays);
            workingDays = Set.copyOf(workingDays);
            for (LocalDate d : holidays) {
                if (d.getYear() != year || workingDays.contains(d)) {
                    throw new IllegalArgumentException("calendar " + year + ": holiday " + d
                            + " is outside the year or also a working day");
                }
            }
            for (LocalDate d : workingDays) {
                if (d.getYear() != year || !weekend(d)) {
                    throw new IllegalArgumentException("calendar " + year + ": make-up working day " + d
                            + " is outside the year or not a Saturday or Sunday");
                }
            }
        }
    }

    private final Map<Integer, Year> years;
    private final Set<LocalDate> extraHolidays;
    private final ZoneId zone;
    private final IntConsumer onUndefinedYear;
    private final Set<Integer> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param years           the official data per year
     * @param extraHolidays   further days off (configuration), in any year
     * @param zone            the zone days are counted in
     * @param onUndefinedYear called once per year that the calendar does not define, when a day of it is first used
     */
    public BusinessCalendar(Collection<Year> years, Collection<LocalDate> extraHolidays, ZoneId zone,
                            IntConsumer onUndefinedYear) {
        Map<Integer, Year> byYear = new TreeMap<>();
        years.forEach(y -> byYear.put(y.year(), y));
        this.years = Map.copyOf(byYear);
        this.extraHolidays = Set.copyOf(extraHolidays);
        this.zone = zone;
        this.onUndefinedYear = onUndefinedYear;
    }

    /** The official calendar shipped with the service (every year listed in {@code calendar/years}). */
    public static BusinessCalendar official(Collection<LocalDate> extraHolidays, ZoneId zone, IntConsumer onUndefinedYear) {
        return new BusinessCalendar(load(), extraHolidays, zone, onUndefinedYear);
    }

    /** The shipped calendar plus every {@code <year>.properties} of {@code operatorYears} (which wins for its year). */
    public static BusinessCalendar official(Collection<LocalDate> extraHolidays, ZoneId zone, IntConsumer onUndefinedYear,
                                            Path operatorYears) {
        Map<Integer, Year> years = new TreeMap<>();
        load().forEach(y -> years.put(y.year(), y));
        load(operatorYears).forEach(y -> years.put(y.year(), y));
        return new BusinessCalendar(years.values(), extraHolidays, zone, onUndefinedYear);
    }

    /**
     * The years an operator added: each {@code <year>.properties} of the folder, in the shipped files' format
     * ({@code holidays=}, {@code working-days=}). Malformed data, or a missing folder, fail at once: a calendar that
     * silently lost a year would move every deadline in it.
     */
    public static Collection<Year> load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("business-day calendar folder " + folder + " does not exist");
        }
        Map<Integer, Year> out = new TreeMap<>();
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("\\d{4}\\.properties")).sorted().toList()) {
                int year = Integer.parseInt(f.getFileName().toString().substring(0, 4));
                Properties p = new Properties();
                p.load(new java.io.StringReader(Files.readString(f, StandardCharsets.UTF_8)));
                out.put(year, new Year(year, dates(year, p, "holidays"), dates(year, p, "working-days")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.values();
    }

    /** Reads every year listed in {@code calendar/years}; malformed or missing data fail at once. */
    public static Collection<Year> load() {
        Map<Integer, Year> out = new TreeMap<>();
        for (String line : resource("years").split("\n")) {
            String y = line.strip();
            if (y.isEmpty() || y.startsWith("#")) {
                continue;
            }
            int year = Integer.parseInt(y);
            Properties p = new Properties();
            try {
                p.load(new java.io.StringReader(resource(year + ".properties")));
                out.put(year, new Year(year, dates(year, p, "holidays"), dates(year, p, "working-days")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.values();
    }

    /** The years the official data define. */
    public Set<Integer> definedYears() {
        return new TreeSet<>(years.keySet());
    }

    public boolean defines(int year) {
        return years.containsKey(year);
    }

    public boolean isBusinessDay(LocalDate d) {
        Year y = years.get(d.getYear());
        if (y == null) {
            undefined(d.getYear());
        } else if (y.workingDays().contains(d)) {
            return true;
        } else if (y.holidays().contains(d)) {
            return false;
        }
        return !weekend(d) && !extraHolidays.contains(d);
    }

    /** The n-th business day after the day of {@code from}. */
    public LocalDate addBusinessDays(LocalDate from, int n) {
        LocalDate d = from;
        int left = n;
        while (left > 0) {
            d = d.plusDays(1);
            if (isBusinessDay(d)) {
                left--;
            }
        }
        return d;
    }

    /** The end (last instant) of the n-th business day after the day {@code from} falls on. */
    public Instant dueAfterBusinessDays(Instant from, int n) {
        LocalDate day = addBusinessDays(from.atZone(zone).toLocalDate(), n);
        return endOf(day);
    }

    /** The end of the calendar day n days after the day {@code from} falls on. */
    public Instant dueAfterDays(Instant from, int n) {
        return endOf(from.atZone(zone).toLocalDate().plusDays(n));
    }

    private void undefined(int year) {
        if (reported.add(year)) {
            LOG.warnf("the business-day calendar has no data for %d (defined: %s): its days are counted Monday to "
                    + "Friday only, without its public holidays or make-up working days; add calendar/%d.properties",
                    year, definedYears(), year);
            onUndefinedYear.accept(year);
        }
    }

    private Instant endOf(LocalDate day) {
        ZonedDateTime next = day.plusDays(1).atStartOfDay(zone);
        return next.toInstant().minusMillis(1);
    }

    private static boolean weekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static Set<LocalDate> dates(int year, Properties p, String key) {
        Set<LocalDate> out = new TreeSet<>();
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("calendar " + year + ": no " + key);
        }
        for (String s : value.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            try {
                out.add(LocalDate.parse(s.strip()));
            } catch (DateTimeParseException e) {
                throw new IllegalStateException("calendar " + year + ": " + key + " has a bad date " + s.strip(), e);
            }
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = BusinessCalendar.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("business-day calendar resource " + BASE + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
