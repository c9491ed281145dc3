package io.pledge.account.registration;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Normalises login ids so that one person's email or mobile always hashes to the same lookup value. */
public final class ContactValues {

    public static final String EMAIL = "EMAIL";
    public static final String MOBILE = "MOBILE";

    private static final Pattern EMAIL_SHAPE = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{2,63}$");
    private static final Pattern MOBILE_SHAPE = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
    private static final Pattern USER_NAME_SHAPE = Pattern.compile("^[\\p{L}\\p{N}_.-]{3,32}$");

    private ContactValues() {
    }

    public static String email(String raw, String field) {
        String v = Normalizer.normalize(raw == null ? "" : raw.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (!EMAIL_SHAPE.matcher(v).matches()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Not a valid email address.", field);
        }
        return v;
    }

    /** E.164; an 11-digit mainland number without a country code gets +86. */
    public static String mobile(String raw, String field) {
        String v = raw == null ? "" : raw.replaceAll("[\\s()-]", "");
        if (v.matches("^1[0-9]{10}$")) {
            v = "+86" + v;
        }
        if (!MOBILE_SHAPE.matcher(v).matches()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Not a valid mobile number (E.164, e.g. +8613800000000).", field);
        }
        return v;
    }

    public static String userName(String raw, String field) {
        String v = Normalizer.normalize(raw == null ? "" : raw.strip(), Normalizer.Form.NFKC);
        if (!USER_NAME_SHAPE.matcher(v).matches()) {
            throw new ProblemException(ProblemType.INVALID_INPUT,
                    "A user name has 3 to 32 letters, digits, '_', '.' or '-'.", field);
        }
        return v;
    }

    /** Which kind of login id a string is: EMAIL when it has an '@', else MOBILE. */
    public static String channelOf(String login) {
        return login != null && login.contains("@") ? EMAIL : MOBILE;
    }

    public static String normalise(String channel, String raw, String field) {
        return EMAIL.equals(channel) ? email(raw, field) : mobile(raw, field);
    }
}
