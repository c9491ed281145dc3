package io.pledge.rights.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Business days from the official calendar data (the resource files the service ships) and from explicit years:
 * weekends, public holidays, make-up working days on a weekend, and a year without data (counted Monday to Friday
 * and reported). Pure logic.
 */
class BusinessCalendarTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static BusinessCalendar plain() {
        return new BusinessCalendar(List.of(), List.of(), SHANGHAI, y -> { });
    }

    @Test
    @Tag("clause-6.2")
    void fifteenBusinessDaysSkipWeekendsAndConfiguredHolidays() {
        // Monday 2026-09-21 + 15 business days = Monday 2026-10-12 without holidays
        assertThat(plain().addBusinessDays(LocalDate.of(2026, 9, 21), 15)).isEqualTo(LocalDate.of(2026, 10, 12));
        BusinessCalendar golden = new BusinessCalendar(List.of(), List.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2),
                LocalDate.of(2026, 10, 5), LocalDate.of(2026, 10, 6), LocalDate.of(2026, 10, 7)), SHANGHAI, y -> { });
        assertThat(golden.addBusinessDays(LocalDate.of(2026, 9, 21), 15)).isEqualTo(LocalDate.of(2026, 10, 19));
        // a Friday evening request: the count starts the next business day
        assertThat(plain().addBusinessDays(LocalDate.of(2026, 11, 27), 1)).isEqualTo(LocalDate.of(2026, 11, 30));
        Instant due = plain().dueAfterBusinessDays(Instant.parse("2026-11-27T12:00:00Z"), 1);
        assertThat(due.atZone(SHANGHAI).toLocalDate()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(due.atZone(SHANGHAI).getHour()).isEqualTo(23);
    }

    @Test
    @Tag("clause-6.2")
    void theOfficialCalendarCountsMakeUpWorkingDaysOnWeekendsAndSkipsTheHolidays() {
        List<Integer> undefined = new ArrayList<>();
        BusinessCalendar cn = BusinessCalendar.official(List.of(), SHANGHAI, undefined::add);
        assertThat(cn.definedYears()).contains(2026);
        // National Day 2026: 1-7 Oct off; Sunday 20 Sep and Saturday 10 Oct are working days
        assertThat(cn.isBusinessDay(LocalDate.of(2026, 9, 20))).isTrue();   // a Sunday, worked
        assertThat(cn.isBusinessDay(LocalDate.of(2026, 10, 10))).isTrue();  // a Saturday, worked
        assertThat(cn.isBusinessDay(LocalDate.of(2026, 10, 11))).isFalse(); // the Sunday after it is not
        assertThat(cn.isBusinessDay(LocalDate.of(2026, 10, 5))).isFalse();  // a Monday off
        assertThat(cn.isBusinessDay(LocalDate.of(2026, 10, 8))).isTrue();
        // Friday 18 Sep + 1 business day = Sunday 20 Sep (a make-up working day), not Monday 21
        assertThat(cn.addBusinessDays(LocalDate.of(2026, 9, 18), 1)).isEqualTo(LocalDate.of(2026, 9, 20));
        // Monday 21 Sep + 15: 22-24 Sep (Fri 25 is Mid-Autumn), 28-30 Sep, Thu 8, Fri 9, Sat 10 Oct (worked),
        // Mon 12 to Fri 16 Oct, Mon 19 Oct
        assertThat(cn.addBusinessDays(LocalDate.of(2026, 9, 21), 15)).isEqualTo(LocalDate.of(2026, 10, 19));
        // Spring Festival 2026: 15-23 Feb off, Saturdays 14 and 28 Feb worked
        assertThat(cn.addBusinessDays(LocalDate.of(2026, 2, 13), 1)).isEqualTo(LocalDate.of(2026, 2, 14));
        assertThat(cn.addBusinessDays(LocalDate.of(2026, 2, 14), 1)).isEqualTo(LocalDate.of(2026, 2, 24));
        assertThat(cn.isBusinessDay(LocalDate.of(2026, 2, 28))).isTrue();
        // New Year: Friday 2 Jan off, Sunday 4 Jan worked
        assertThat(cn.isBusinessDay(LocalDate.of(2026, 1, 2))).isFalse();
        assertThat(cn.isBusinessDay(LocalDate.of(2026, 1, 4))).isTrue();
        assertThat(undefined).isEmpty();
    }

    @Test
    @Tag("clause-6.2")
    void aYearWithoutDataIsCountedMondayToFridayAndReportedOnce() {
        List<Integer> undefined = new ArrayList<>();
        BusinessCalendar cn = BusinessCalendar.official(List.of(LocalDate.of(2027, 1, 1)), SHANGHAI, undefined::add);
        assertThat(cn.defines(2027)).isFalse();
        // Wednesday 2026-12-23 + 10 business days runs into 2027: 24, 25, 28-31 Dec, then Fri 1 Jan is an extra
        // configured holiday, Mon 4 to Thu 7 Jan; the weekend of 2-3 Jan stays off without data saying otherwise
        assertThat(cn.addBusinessDays(LocalDate.of(2026, 12, 23), 10)).isEqualTo(LocalDate.of(2027, 1, 7));
        assertThat(cn.isBusinessDay(LocalDate.of(2027, 2, 8))).isTrue();   // a Monday: no data, so worked
        assertThat(cn.isBusinessDay(LocalDate.of(2027, 2, 6))).isFalse();  // a Saturday
        assertThat(undefined).containsExactly(2027);
    }

    @Test
    @Tag("clause-6.2")
    void anOperatorAddsAYearPublishedAfterTheReleaseWithItsMakeUpWorkingDays(@org.junit.jupiter.api.io.TempDir
                                                                              java.nio.file.Path dir) throws Exception {
        // a year's arrangement in the shipped format, as an operator writes it from the State Council's notice
        // (dates here are made up for the test: a Friday off, the Saturday after it worked)
        java.nio.file.Files.writeString(dir.resolve("2027.properties"), "# test year\n"
                + "holidays=2027-01-01,\\\n  2027-10-01\nworking-days=2027-01-09\n");
        java.nio.file.Files.writeString(dir.resolve("README.txt"), "not a year");
        List<Integer> undefined = new ArrayList<>();
        BusinessCalendar cn = BusinessCalendar.official(List.of(), SHANGHAI, undefined::add, dir);
        assertThat(cn.defines(2026)).as("the shipped years stay").isTrue();
        assertThat(cn.defines(2027)).isTrue();
        assertThat(cn.isBusinessDay(LocalDate.of(2027, 1, 1))).isFalse();
        assertThat(cn.isBusinessDay(LocalDate.of(2027, 1, 9))).as("a make-up working Saturday").isTrue();
        assertThat(cn.isBusinessDay(LocalDate.of(2027, 10, 1))).isFalse();
        assertThat(cn.addBusinessDays(LocalDate.of(2026, 12, 31), 1)).isEqualTo(LocalDate.of(2027, 1, 4));
        assertThat(undefined).isEmpty();

        // bad data fails at once, naming the problem, rather than moving deadlines quietly
        java.nio.file.Files.writeString(dir.resolve("2028.properties"), "holidays=\nworking-days=2028-01-05\n");
        assertThatThrownBy(() -> BusinessCalendar.official(List.of(), SHANGHAI, y -> { }, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Saturday or Sunday");
        assertThatThrownBy(() -> BusinessCalendar.official(List.of(), SHANGHAI, y -> { }, dir.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    @Test
    void malformedYearDataIsRefused() {
        assertThatThrownBy(() -> new BusinessCalendar.Year(2026, Set.of(), Set.of(LocalDate.of(2026, 9, 21)))).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("not a Saturday or Sunday");
        assertThatThrownBy(() -> new BusinessCalendar.Year(2026, Set.of(LocalDate.of(2027, 1, 1)), Set.of())).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("outside the year");
        BusinessCalendar.Year y = new BusinessCalendar.Year(2026, Set.of(LocalDate.of(2026, 5, 4)),
                Set.of(LocalDate.of(2026, 5, 9)));
        BusinessCalendar c = new BusinessCalendar(List.of(y), List.of(), SHANGHAI, year -> { });
        assertThat(c.isBusinessDay(LocalDate.of(2026, 5, 4))).isFalse();
        assertThat(c.isBusinessDay(LocalDate.of(2026, 5, 9))).isTrue();
    }

    @Test
    @Tag("clause-6.8")
    void thirtyCalendarDaysCountEveryDay() {
        BusinessCalendar c = new BusinessCalendar(List.of(), List.of(LocalDate.of(2026, 12, 25)), SHANGHAI, y -> { });
        Instant due = c.dueAfterDays(Instant.parse("2026-12-01T02:00:00Z"), 30);
        assertThat(due.atZone(SHANGHAI).toLocalDate()).isEqualTo(LocalDate.of(2026, 12, 31));
    }
}
