package io.pledge.rights.deadline;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Set;

/**
 * Business days: Monday to Friday except the configured public holidays, in the zone the policy's deadlines are read
 * in. A deadline of n business days ends at the end of the n-th business day after the day of receipt. Pure code.
 */
public final class BusinessCalendar {

    private final Set<LocalDate> holidays;
    private final ZoneId zone;

    public BusinessCalendar(Collection<LocalDate> holidays, ZoneId zone) {
        this.holidays = Set.copyOf(holidays);
        this.zone = zone;
    }

    public boolean isBusinessDay(LocalDate d) {
        return d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY && !holidays.contains(d);
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

    private Instant endOf(LocalDate day) {
        ZonedDateTime next = day.plusDays(1).atStartOfDay(zone);
        return next.toInstant().minusMillis(1);
    }
}
