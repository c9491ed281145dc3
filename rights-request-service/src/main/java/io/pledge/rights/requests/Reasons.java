package io.pledge.rights.requests;

import java.util.LinkedHashMap;
import java.util.Map;

/** The coded reasons a subject can read: refusals (policy 6 preamble and exceptions (1)–(8)) and extensions. */
public final class Reasons {

    public static final Map<String, String> REFUSALS;
    public static final Map<String, String> EXTENSIONS;

    static {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("REPETITIVE", "The request repeats earlier ones beyond what is reasonable.");
        r.put("EXCESSIVE_TECHNICAL_MEANS", "Answering would need excessive technical means, such as a new system.");
        r.put("RISK_TO_OTHERS", "Answering would put the legitimate rights and interests of others at risk.");
        r.put("IMPRACTICAL", "The request is highly impractical.");
        r.put("EXCEPTION_1_LEGAL_OBLIGATION", "It relates to our performance of obligations under laws and regulations.");
        r.put("EXCEPTION_2_NATIONAL_SECURITY", "It is directly related to national security or national defence security.");
        r.put("EXCEPTION_3_PUBLIC_INTEREST", "It is directly related to public security, public health or major public interests.");
        r.put("EXCEPTION_4_CRIMINAL_PROCEEDINGS", "It is directly related to criminal investigation, prosecution, trial or judgment execution.");
        r.put("EXCEPTION_5_MALICE_OR_ABUSE", "There is sufficient evidence of subjective malice or abuse of rights.");
        r.put("EXCEPTION_6_VITAL_INTERESTS", "It is needed to protect life, property or other material rights when consent is hard to obtain.");
        r.put("EXCEPTION_7_MATERIAL_DAMAGE", "Answering would materially damage the legitimate rights of you or others.");
        r.put("EXCEPTION_8_BUSINESS_SECRETS", "It concerns business secrets.");
        r.put("IDENTITY_NOT_VERIFIED", "Your identity was not verified in time; the request expired.");
        r.put("FEE_NOT_ACCEPTED", "The fee quoted for a repeated request was not accepted in time; the request expired.");
        REFUSALS = Map.copyOf(r);
        Map<String, String> e = new LinkedHashMap<>();
        e.put("COMPLEX_REQUEST", "The request is complex and needs more time.");
        e.put("HIGH_VOLUME", "We are handling an unusually high number of requests.");
        e.put("HOLDER_DELAY", "A holder of your data needs more time to act.");
        e.put("AWAITING_INFORMATION", "We are waiting for information needed to answer.");
        EXTENSIONS = Map.copyOf(e);
    }

    private Reasons() {
    }
}
