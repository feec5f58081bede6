/* test_redact.c: the PHI detectors (each category, positive and negative),
 * document identity matching, the three output modes, surrogate
 * consistency, date shifting, hostile input and concurrent use. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cs_document.h"
#include "cs_err.h"
#include "cs_redact.h"

static cs_redactor *R;

static void setup(void) { cr_assert_eq(cs_redactor_new(&R), CS_OK); }
static void teardown(void) { cs_redactor_free(R); R = NULL; }

TestSuite(redact, .init = setup, .fini = teardown, .timeout = 60);

static cs_span_list find(const char *text, const cs_identity *id)
{
    cs_span_list l = {0};
    int rc = cs_redact_text(R, text, strlen(text), id, &l);
    cr_assert_eq(rc, CS_OK, "cs_redact_text: %s", cs_strerror(rc));
    return l;
}

/* Is `what` (its first occurrence) covered by one span of category cat? */
static int covered(const char *text, const char *what, cs_phi_category cat, const cs_identity *id)
{
    cs_span_list l = find(text, id);
    const char *p = strstr(text, what);
    cr_assert_not_null(p, "test bug: '%s' not in text", what);
    size_t a = (size_t)(p - text), b = a + strlen(what);
    int ok = 0;
    for (size_t i = 0; i < l.n; i++)
        if (l.items[i].start <= a && l.items[i].end >= b && l.items[i].category == cat) ok = 1;
    cs_span_list_free(&l);
    return ok;
}

static int touched(const char *text, const char *what)
{
    cs_span_list l = find(text, NULL);
    const char *p = strstr(text, what);
    cr_assert_not_null(p);
    size_t a = (size_t)(p - text), b = a + strlen(what);
    int hit = 0;
    for (size_t i = 0; i < l.n; i++) hit |= l.items[i].start < b && l.items[i].end > a;
    cs_span_list_free(&l);
    return hit;
}

static size_t n_spans(const char *text)
{
    cs_span_list l = find(text, NULL);
    size_t n = l.n;
    cs_span_list_free(&l);
    return n;
}

#define POS(text, what, cat) cr_expect(covered(text, what, cat, NULL), "missed %s in: %s", what, text)
#define NEG(text, what) cr_expect(!touched(text, what), "false positive %s in: %s", what, text)

/* ------------------------------------------------------------ categories */

Test(redact, names_from_titles_roles_relatives_labels)
{
    POS("Seen by Dr. Lipper this morning.", "Lipper", CS_PHI_NAME);
    POS("per dr. reid, continue heparin", "reid", CS_PHI_NAME);
    POS("Plan discussed. Jean Hudson, RN", "Jean", CS_PHI_NAME);
    POS("Plan discussed. Jean Hudson, RN", "Hudson", CS_PHI_NAME);
    POS("EDWARD C. JONES, RRT", "JONES", CS_PHI_NAME);
    POS("daughter Mary in to visit", "Mary", CS_PHI_NAME);
    POS("LEGAL GUARDIAN: Niece, Patricia WAITE, lives nearby", "WAITE", CS_PHI_NAME);
    POS("Patient: Mary Johnson\nDx: CHF", "Johnson", CS_PHI_NAME);
    POS("A 50-year-old woman, Sarah P., with GERD.", "Sarah", CS_PHI_NAME);
    POS("A 50-year-old woman, Sarah P., with GERD.", "P.", CS_PHI_NAME);
    POS("Drs Ferullo and Saeed in to see pt.", "Saeed", CS_PHI_NAME);
    /* a name from its title wins over "City, ST" (MD is Maryland too) */
    POS("Attending: Dr. Lucinda Ferreira-Walsh, MD", "Lucinda", CS_PHI_NAME);
    POS("Attending: Dr. Lucinda Ferreira-Walsh, MD", "Ferreira-Walsh", CS_PHI_NAME);
}

Test(redact, names_negative_words_and_eponyms)
{
    cr_expect_eq(n_spans("Will check labs in the morning."), 0);
    cr_expect_eq(n_spans("Hope for improvement; patient will rest."), 0);
    cr_expect_eq(n_spans("History of Parkinson disease and Hodgkin lymphoma."), 0);
    cr_expect_eq(n_spans("Foley catheter in place, draining clear urine."), 0);
    cr_expect_eq(n_spans("GERD with a history of Barrett's esophagus."), 0);
    NEG("MS changes overnight, improving.", "changes");
    NEG("Dr. aware of the results.", "aware");
}

Test(redact, dates_in_every_written_form)
{
    POS("Admitted on 03/04/2021 for CHF.", "03/04/2021", CS_PHI_DATE);
    POS("Seen 3-4-21 in clinic.", "3-4-21", CS_PHI_DATE);
    POS("Surgery March 4th, then rehab.", "March 4th", CS_PHI_DATE);
    POS("Echo 4 Mar 2021 showed EF 40%.", "4 Mar 2021", CS_PHI_DATE);
    POS("Labs drawn 2021-03-04 at noon.", "2021-03-04", CS_PHI_DATE);
    POS("Returned on the 4th for review.", "4th", CS_PHI_DATE);
    POS("Cath 3/15 revealed EF 50%.", "3/15", CS_PHI_DATE);
    POS("Born on April 12, 1950.", "April 12, 1950", CS_PHI_DATE);
    POS("s/p mastectomies 11/92, stable.", "11/92", CS_PHI_DATE);
    POS("P: Hemodialysis 8/9 or 8/10, monitor resp status", "8/10", CS_PHI_DATE);
    POS("ceftaz rec'd 8/2 - 8/10. currently on levo", "8/10", CS_PHI_DATE);
    POS("Problem onset 9-Jan-2009, resolved.", "9-Jan-2009", CS_PHI_DATE);
    POS("Last visit 12/MAR/10 per chart.", "12/MAR/10", CS_PHI_DATE);
    /* fractions and x/10 forms after a word that introduces a date */
    POS("Seen on 3/4 for f/u.", "3/4", CS_PHI_DATE);
    POS("Lasix stopped 4/10, restarted 4/12.", "4/10", CS_PHI_DATE);
    POS("Moving back in early May with family.", "May", CS_PHI_DATE);
    POS("Unchanged since May, per daughter.", "May", CS_PHI_DATE);
}

Test(redact, dates_negative)
{
    NEG("BP 120/80, HR 72.", "120/80");
    NEG("Weaned to CPAP 5/5 overnight.", "5/5");
    NEG("Chest pain 8/10, given NTG.", "8/10");
    NEG("pain 4/10 to 8/10 after turning", "8/10"); /* a range of scores, not dates */
    NEG("Take 1/2 tab daily.", "1/2");
    NEG("Give 3/4 of the dose.", "3/4");
    NEG("Pain 4/10 today, was 6/10.", "4/10");
    NEG("She may go home; in May we see.", "may go");
    NEG("He was diagnosed in 2021.", "2021");
    NEG("ABG 7.40/35/64 on 40%.", "7.40/35/64");
    NEG("The patient may 2 times a day walk.", "may 2");
    NEG("Dose 5-mar-x was a typo.", "5-mar"); /* no year: not a day-month-year */
}

/* Date forms added with the places work: ordinals after "it's the",
 * month-day with a dash after a date preposition, holidays, history years
 * after "in". */
Test(redact, dates_ordinals_dashes_holidays_history)
{
    POS("pt asked what day: \"it's the 14th.\" reoriented", "14th", CS_PHI_DATE);
    POS("Today is the 3rd, family to visit.", "3rd", CS_PHI_DATE);
    NEG("This is the 3rd time he fell.", "3rd");
    NEG("she was the 2nd patient seen", "2nd");
    POS("He went back to the OR on 9-14 for a washout.", "9-14", CS_PHI_DATE);
    POS("Drain placed since 11-2.", "11-2", CS_PHI_DATE);
    NEG("sats 94% on 2-3 L NC", "2-3");
    NEG("Titrated on 5-10 mcg/min of levo.", "5-10");
    NEG("on 13-40 for the vent", "13-40"); /* no month 13 */
    POS("Family hopes he is home for Christmas.", "Christmas", CS_PHI_DATE);
    POS("fell at home on New Year's Eve", "New Year's Eve", CS_PHI_DATE);
    NEG("Attended a memorial service, labor was slow.", "memorial");
    POS("PMH: HTN, CVA in 97 and asthma.", "97", CS_PHI_DATE);
    NEG("HR in 97 and regular, BP stable.", "97");
}

Test(redact, dates_ranges_short_years_bare_abbreviations)
{
    POS("progress note 1->2 nov, 96\n1900 - 0700", "1->2 nov, 96", CS_PHI_DATE);
    POS("Nursing note 21 Apr, 21 0700->1930", "21 Apr, 21", CS_PHI_DATE);
    POS("admitted in sept. and discharged", "sept", CS_PHI_DATE);
    POS("Stable since Feb, no falls.", "Feb", CS_PHI_DATE);
    NEG("on 3 Jan, 12 hours after surgery", "12 hours");
    /* lower-case "dec" is a decrease (other rules may still call it a name) */
    cr_expect(!covered("UO by dec amounts since noon", "dec", CS_PHI_DATE, NULL), "'by dec' read as a date");
    NEG("Started in jun-style diet", "jun");
}

Test(redact, numeric_dates_glued_antecubital_settings)
{
    POS("hct 28 am labs on10/14/82 to hct 30", "10/14/82", CS_PHI_DATE);
    cr_expect(!covered("kit AB10/14/82 on the box", "10/14/82", CS_PHI_DATE, NULL), "glued to capitals: a code, no date");
    POS("PICC PLACED IN R AC 11/17, ART LINE IN", "11/17", CS_PHI_DATE);
    NEG("VENT ON AC 14/5, FIO2 40%", "14/5");
    NEG("settings cpap/ps (10/5) c 40% fio2", "10/5");
    NEG("On bi-pap 12/5 with ABG pending", "12/5");
    NEG("CO/CI 5/3 FICK", "5/3");
}

Test(redact, year_given_for_orientation)
{
    POS("Orientation: knows it is 2019, not the month.", "2019", CS_PHI_DATE);
    POS("states the year is 1998", "1998", CS_PHI_DATE);
    NEG("UO today is 2000 cc, BS was 1950", "2000");
    NEG("UO today is 2000 cc, BS was 1950", "1950");
    NEG("dose: it is 2000 mg daily", "2000"); /* a dose */
}

Test(redact, labelled_ids_and_emails)
{
    POS("Specimen # AX-55123 sent to path.", "AX-55123", CS_PHI_ID);
    POS("passport number K1234567 copied", "K1234567", CS_PHI_ID);
    POS("MedRec# QZ-4411 on the chart", "QZ-4411", CS_PHI_ID);
    POS("Reference no. 77A-9912 for the claim", "77A-9912", CS_PHI_ID);
    NEG("Reference range 3.5-5.0 for K.", "3.5-5.0");
    POS("e-mail: rsmith@clinicmail for scans", "rsmith@clinicmail", CS_PHI_EMAIL);
    NEG("Email the team about the plan.", "team");
    /* terminology codes beside their system are concepts, not identifiers */
    NEG("Pneumonia (233604007 SNOMED CT), resolved", "233604007");
    NEG("Bronchitis (SNOMED CT: 32398004) active", "32398004");
    POS("Chart 233604007 reviewed today.", "233604007", CS_PHI_ID);
    POS("surgery at a clinic. EMR: 456123789.", "456123789", CS_PHI_ID);
    NEG("EMR reviewed, 2 notes found.", "2 notes");
}

Test(redact, facility_with_typographic_apostrophe)
{
    POS("was admitted to St. Jude\xe2\x80\x99s on 4/2/2024", "St. Jude\xe2\x80\x99s", CS_PHI_FACILITY);
    POS("seen at St. Mary\xe2\x80\x99s Hospital (MRN: 1234)", "St. Mary\xe2\x80\x99s Hospital", CS_PHI_FACILITY);
    NEG("the patient\xe2\x80\x99s Hospital stay was short", "patient");
}

Test(redact, names_before_a_phone_label)
{
    POS("son very involved. Tavish Brennock cell# 555-201-3344 and", "Tavish", CS_PHI_NAME);
    POS("son very involved. Tavish Brennock cell# 555-201-3344 and", "Brennock", CS_PHI_NAME);
    POS("Contact Oriana home: 555-201-3344", "Oriana", CS_PHI_NAME);
    NEG("Work phone 555-201-3344, Home: 555-201-3345", "Work");
    NEG("Pt cell# 555-201-3344 on chart", "Pt");
    NEG("Tavish Brennock cell phone broken", "Brennock"); /* no number: no cue */
}

Test(redact, town_before_area)
{
    POS("Lives in a shelter in Zorvath area now.", "Zorvath", CS_PHI_LOCATION);
    POS("moved from the Quillbrook area last year", "Quillbrook", CS_PHI_LOCATION);
    NEG("Sat in the Waiting area, pain in the Sacral area.", "Waiting");
    NEG("Sat in the Waiting area, pain in the Sacral area.", "Sacral");
    NEG("Zorvath area is clean", "Zorvath"); /* no preposition before it */
}

Test(redact, facility_name_starts_after_the_run_up)
{
    const char *t = "TX'D FROM WASHINGTON ADVENTIST HOSP TODAY";
    POS(t, "WASHINGTON ADVENTIST HOSP", CS_PHI_FACILITY);
    NEG(t, "FROM");
    NEG("URINE OUTPUT FROM KESTWICK HOSP", "OUTPUT");
    POS("Seen at Penn State Hospital and Montgomery County General.", "Penn State Hospital", CS_PHI_FACILITY);
    POS("Seen at Penn State Hospital and Montgomery County General.", "Montgomery County General", CS_PHI_FACILITY);
}

Test(redact, names_introduced_as_the_contact)
{
    POS("Family at bedside. Beatrice is family contact/interpreter.", "Beatrice", CS_PHI_NAME);
    POS("Gertrude Halloran is HCP per chart.", "Gertrude", CS_PHI_NAME);
    POS("Gertrude Halloran is HCP per chart.", "Halloran", CS_PHI_NAME);
    NEG("Pressures ok. Grandaughter is HCP.", "Grandaughter"); /* misspelt, no name */
    NEG("Family here. Plan is family contact tomorrow.", "Plan");
    NEG("Family here. Plan is family contact tomorrow.", "family");
    NEG("Sister is HCP.", "Sister");
}

Test(redact, first_name_signing_a_note)
{
    POS("HEPARIN AT 850U/HR, NOT 1400U/HR.\nBEATRICE\n", "BEATRICE", CS_PHI_NAME);
    POS("Will recheck lytes at 2200. Beatrice", "Beatrice", CS_PHI_NAME);
    NEG("Family aware of plan.\nHOPE\n", "HOPE"); /* an English word too */
    NEG("Plan:\nMONITOR\n", "MONITOR");
    NEG("Beatrice. Heparin started", "Heparin");
}

Test(redact, hyphenated_names)
{
    POS("Warfarin interactions for Anne-Marie B., who resides here", "Anne-Marie", CS_PHI_NAME);
    NEG("Started Co-Trimoxazole for UTI", "Co-Trimoxazole");
    NEG("History of A-Fib, on warfarin", "A-Fib");
}

Test(redact, one_case_hospital_kind_after_town)
{
    const char *t = "EKG POS. TAKEN TO LAUREL REGIONAL WHERE CK POS.";
    POS(t, "LAUREL REGIONAL", CS_PHI_FACILITY);
    NEG(t, "WHERE");
    NEG("SEEN BY GENERAL SURGERY TODAY", "GENERAL"); /* no place before it */
}

Test(redact, ages_over_89_only)
{
    POS("A 92 year old man with CHF.", "92", CS_PHI_AGE);
    POS("Pt is a 101 yo female.", "101", CS_PHI_AGE);
    NEG("A 45 year old man with CHF.", "45");
    NEG("A 89-year-old woman.", "89");
    POS("93 y.o female with CHF", "93", CS_PHI_AGE);
    POS("she is in her mid 90s and lives alone", "90s", CS_PHI_AGE);
    POS("a frail nonagenarian with sepsis", "nonagenarian", CS_PHI_AGE);
    NEG("he is in his 80s and active", "80s");
    NEG("her 90 min walk went fine", "90");
}

Test(redact, contacts_and_numbers)
{
    POS("Call (410) 555-1234 with results.", "(410) 555-1234", CS_PHI_PHONE);
    POS("Cell 410-555-1234.", "410-555-1234", CS_PHI_PHONE);
    POS("Fax: 410.555.1234", "410.555.1234", CS_PHI_PHONE);
    POS("he can be reached at beeper number 55037 for consents", "55037", CS_PHI_PHONE);
    POS("Email j.doe@example.com for records.", "j.doe@example.com", CS_PHI_EMAIL);
    POS("SSN 123-45-6789 on file.", "123-45-6789", CS_PHI_SSN);
    POS("MRN: 12345678, admitted.", "12345678", CS_PHI_ID);
    POS("insurance number HP-678901 active", "HP-678901", CS_PHI_ID);
    POS("Account # 99887766 billed.", "99887766", CS_PHI_ID);
    POS("See https://portal.example.org/chart?id=1.", "https://portal.example.org/chart?id=1", CS_PHI_URL);
    POS("Logged in from 10.1.22.3 today.", "10.1.22.3", CS_PHI_IP);
    POS("Pacemaker serial number SN48213X placed.", "SN48213X", CS_PHI_DEVICE);
    NEG("K 4.1, Mg 1.8, WBC 12.1, Hct 28.2", "12.1");
    NEG("Gave 40 mg IV x1, then 20 mg.", "40");
}

Test(redact, geography_and_facilities)
{
    POS("Lives at 12 Elm Street, Boston, MA 02114.", "12 Elm Street", CS_PHI_LOCATION);
    POS("Lives at 12 Elm Street, Boston, MA 02114.", "02114", CS_PHI_LOCATION);
    POS("Lives at 12 Elm Street, Boston, MA 02114.", "Boston", CS_PHI_LOCATION);
    POS("Transferred from Methodist Hospital yesterday.", "Methodist Hospital", CS_PHI_FACILITY);
    POS("seen by Dr. John L. at Mt. Sinai for CHF", "Mt. Sinai", CS_PHI_FACILITY);
    POS("Moved to San Diego last year.", "San Diego", CS_PHI_LOCATION);
    NEG("Transferred to the hospital for care.", "hospital");
    POS("plan for pt to go to sacred heart hospital at 4pm", "sacred heart", CS_PHI_FACILITY);
    NEG("plan for pt to go to sacred heart hospital at 4pm", "hospital");
    POS("83 yo male transferred to GH for cath.", "GH", CS_PHI_LOCATION);
    POS("SOCIAL: PT LIVES WITH SON AND FAMILY IN ROCKVILLE.", "ROCKVILLE", CS_PHI_LOCATION);
    NEG("Transferred to MICU, then to the floor.", "MICU");
    NEG("Will go to cardiac rehab next.", "cardiac");
    NEG("Zip-lock bag with 50000 units.", "50000");
    POS("she lives at 42 willow brook lane with her son", "42 willow brook lane", CS_PHI_LOCATION);
    POS("mail to 7 n elm st. apt 3, thanks", "7 n elm st. apt 3", CS_PHI_LOCATION);
    NEG("hr 100 bpm st, bp stable", "bpm");
    NEG("gave 2 units to dr smith", "units");
}

/* Is the occurrence of `what` starting at `from` (strstr after it) touched
 * by a span of category cat (cat < 0: any)? */
static int later_hit(const char *text, const char *from, const char *what, int cat)
{
    cs_span_list l = find(text, NULL);
    const char *f = strstr(text, from);
    cr_assert_not_null(f, "test bug: '%s' not in text", from);
    const char *p = strstr(f, what);
    cr_assert_not_null(p, "test bug: '%s' not after '%s'", what, from);
    size_t a = (size_t)(p - text), b = a + strlen(what);
    int hit = 0;
    for (size_t i = 0; i < l.n; i++)
        hit |= l.items[i].start <= a && l.items[i].end >= b && (cat < 0 || (int)l.items[i].category == cat);
    cs_span_list_free(&l);
    return hit;
}

Test(redact, note_level_consistency)
{
    /* a name or place found once is that identifier everywhere in the text */
    POS("Dr. Kessler saw pt at 10. KESSLER AWARE OF PLAN.", "KESSLER", CS_PHI_NAME);
    cr_expect(later_hit("Sent to GH at noon. Old films from GH reviewed by team.", "Old", "GH", CS_PHI_LOCATION));
    POS("Transferred to Quartermain 2 at noon. Belongings sent up to quartermain later.", "quartermain",
        CS_PHI_LOCATION);
    cr_expect(later_hit("daughter Thelma called. Plan discussed; thelma agrees.", "Plan", "thelma", CS_PHI_NAME));
    /* words that are English words do not spread; two letters only in capitals */
    cr_expect(!later_hit("Dr. Will saw pt. Will recheck labs in am.", "pt.", "Will", -1));
    cr_expect(!later_hit("Sent to GH at noon. Pt has gh deficiency workup.", "Pt", "gh", -1));
    /* a spread word does not outrank a date over the same characters */
    POS("Nurse April aware. Born on April 12, 1950.", "April 12, 1950", CS_PHI_DATE);
}

Test(redact, places_after_prepositions_and_wards)
{
    POS("PT SENT TO ED AT GH. STABLE.", "GH", CS_PHI_LOCATION);
    POS("PT IS 80 YO WOMAN ADMITTED TO QUARTERMAIN7 W/ CHF", "QUARTERMAIN7", CS_PHI_LOCATION);
    POS("plan to get oob. transfer to quartermain2.", "quartermain2", CS_PHI_LOCATION);
    POS("Pt went to Harbor on 3/6 c/o severe pain.", "Harbor", CS_PHI_LOCATION);
    POS("TO GO TO ST. MARY ON TUESDAY PER CASE WORKER", "ST. MARY", CS_PHI_FACILITY);
    POS("She came to GH. Family with her.", "GH", CS_PHI_LOCATION);
    NEG("pt OOB to chair and commode, tolerated.", "commode");
    NEG("CV: REMAINS IN AF, RATE 80'S.", "AF");
    NEG("Vent changed to AC 400 x 12 with 35% fio2.", "AC");
    NEG("SR TO ST. HIGH PRESSURES RESOLVED", "HIGH");
    NEG("Pt went to Radiology on 3/6 for CT.", "Radiology");
    NEG("BP 84/40 at 2000, increasing.", "2000");
    POS("46 year old male came into GH on 7/18 with leg pain", "GH", CS_PHI_LOCATION);
    POS("WEAKNESS\nTRANS TO GH 7/23 .DOPAMINE WEANED", "GH", CS_PHI_LOCATION);
    NEG("cath lab, 2 stents to RCA, LAD occluded", "RCA");
    NEG("GI: Pt cont to tol FS Promote at goal", "tol");
    POS("he lives nearby in rockport and will be in later", "rockport", CS_PHI_LOCATION);
    POS("ENC PO INTAKE. TRANSFER QUARTERMAIN 2.", "QUARTERMAIN", CS_PHI_LOCATION);
    POS("Lasix gtt at 12 mg/hr. Per Kestermain 3 RN, UO only 20cc", "Kestermain", CS_PHI_LOCATION);
    NEG("Lasix gtt at 12 mg/hr. Per Levophed 3 mcg, UO only 20cc", "Levophed");
    POS("Nephew, Neil Meitz of Towson visited today.", "Towson", CS_PHI_LOCATION);
    NEG("history of Parkinson disease", "Parkinson");
    POS("P: TRANSFER TO BALTIMORE REHAB\nMONITOR BS", "BALTIMORE REHAB", CS_PHI_LOCATION);
    POS("Pt will be seen at Kessler Rehab tomorrow", "Kessler Rehab", CS_PHI_FACILITY);
    NEG("discharged to cardiac rehab tomorrow", "rehab");
}

/* redact_places.c: places named by what stands next to them. */
Test(redact, places_beside_states_universities_regions_acronyms)
{
    POS("insulin dosing per U Virginia protocol", "U Virginia", CS_PHI_FACILITY);
    POS("Followed by Univ. of Iowa cardiology.", "Univ. of Iowa", CS_PHI_FACILITY);
    NEG("GIVEN 2 U PRBC AND 1 U FFP", "PRBC");
    POS("daughter drove in from frostburg maryland's west side", "frostburg", CS_PHI_LOCATION);
    NEG("daughter drove in from frostburg maryland's west side", "maryland");
    POS("Moved here from Frederick, Maryland in May.", "Frederick, Maryland", CS_PHI_LOCATION);
    POS("Son flew in from Kansas City last night.", "Kansas City", CS_PHI_LOCATION);
    POS("FAMILY DROVE UP FROM THE WESTERN SHORE OVERNIGHT", "WESTERN SHORE", CS_PHI_LOCATION);
    POS("Echo done on South Campus this am.", "South", CS_PHI_LOCATION);
    NEG("crackles heard in the left lower lobe, north of the scar", "north");
    NEG("pt turned to the left side, east wing quiet", "east");
    POS("PT TO BE EVALUATED BY HCMC TEAM TODAY", "HCMC", CS_PHI_FACILITY);
    NEG("ON CMC JOINT ARTHROPLASTY LIST; MC 3 LEADS", "CMC");
    POS("pt's glasses sent from kestermain 4. family aware.", "kestermain", CS_PHI_LOCATION);
    NEG("titrated to levophed 4 mcg/min", "levophed");
    NEG("sats 95% on 4 L nasal, up to 5 L", "nasal");
    POS("Screened today, then to Frostburg Rehab for placement.", "Frostburg Rehab", CS_PHI_FACILITY);
    NEG("WILL CON'T REHAB EFFORTS, CARDIAC REHAB CONSULT", "CON'T");
    NEG("WILL CON'T REHAB EFFORTS, CARDIAC REHAB CONSULT", "CARDIAC");
    POS("SOCIAL: WIFE LIVES IN DC WITH DAUGHTER", "DC", CS_PHI_LOCATION);
    POS("Husband works at Raytheon as an engineer.", "Raytheon", CS_PHI_LOCATION);
    NEG("Husband works at home as a writer.", "home");
    NEG("LIVES IN A ROW HOUSE WITH WIFE", "ROW");
}

/* Title Case place spans take the state, facility word or town after them;
 * text in one case keeps the name alone (PhysioNet's convention). */
Test(redact, place_spans_widened_over_state_facility_town)
{
    POS("seen in Dallas, TX on March 2", "Dallas, TX", CS_PHI_LOCATION);
    POS("lives in Houston, Texas with wife", "Houston, Texas", CS_PHI_LOCATION);
    POS("follows at the Boston VA for PTSD", "Boston VA", CS_PHI_FACILITY);
    POS("Transferred from Univ. of Iowa Hospitals overnight", "Univ. of Iowa Hospitals", CS_PHI_FACILITY);
    POS("was seen at the Tucson downtown clinic on Friday", "Tucson downtown clinic", CS_PHI_FACILITY);
    POS("admitted to Mercy Hospital in Chicago last week", "Mercy Hospital in Chicago", CS_PHI_FACILITY);
    POS("address is 45 Oak St, Tucson, for mail", "45 Oak St, Tucson", CS_PHI_LOCATION);
    NEG("Resp: Martin Hope, MD evaluated the patient", "MD");
    NEG("TRANSFERRED FROM CALVERT, MD TO ICU", "MD");
    POS("pt arrived from towson mercy hosp via ambulance", "towson mercy", CS_PHI_LOCATION);
    NEG("pt arrived from towson mercy hosp via ambulance", "hosp");
    NEG("lives in towson and was in hospital", "was");
}

Test(redact, names_before_visiting_verbs_and_lowercase_pairs)
{
    POS("social: bob visited during the evening", "bob", CS_PHI_NAME);
    POS("MICU ADDENDUM\nSons Smokey, Morris and Roger in to visit.", "Morris", CS_PHI_NAME);
    NEG("daughter Thelma, Lasix and Coumadin reviewed.", "Lasix");
    POS("son in earlier, and george called early this am for update.", "george", CS_PHI_NAME);
    POS("Sons Smokey, Morris and Roger in to visit.", "Roger", CS_PHI_NAME);
    POS("will consult with patty hoeller re skin care.", "hoeller", CS_PHI_NAME);
    NEG("Pt in bed, resting.", "bed");
    NEG("Will call back later.", "Will");
    NEG("endoscopy showed mallory weiss tear, no bleeding.", "weiss");
    NEG("cv/resp nsr many pac's htn", "many");
    NEG("Surgery in to see pt.", "Surgery");
}

Test(redact, names_from_initials_credentials_and_brackets)
{
    POS("BS GIVEN, AND ALL IS WELL AT THIS TIME. Q. LANDER RRT\n", "LANDER", CS_PHI_NAME);
    POS("all is well at this time. q. lander rrt\n", "lander", CS_PHI_NAME);
    POS("GI: OGT-BLDY. GIVEN CARAFATE-W. MAROTTA AWARE-WILL START PROTONIX.", "MAROTTA", CS_PHI_NAME);
    POS("CXR DONE OK TO USE AS CENTRAL LINE PER WARREN KAVALIUNAS NP PATENT", "KAVALIUNAS", CS_PHI_NAME);
    NEG("OK TO USE PER CXR NP PATENT", "CXR");
    POS("Resp- 1720- Stord-Painter MD performed pleurodesis", "Stord-Painter", CS_PHI_NAME);
    POS("low pa pressures in the low 20's per md Saeed. Plan: d/c", "Saeed", CS_PHI_NAME);
    POS("ask to page Suzette\nHank Przybylo (son) cell# 450-928-6612", "Przybylo", CS_PHI_NAME);
    POS("THAT CASE MANAGEMENT CONTACTS KAREN ANN YANULIS\n", "YANULIS", CS_PHI_NAME);
    POS("F/U IN NEXT 1-2 DAYS AS APPROP.\nPG 33445\n", "33445", CS_PHI_PHONE);
    NEG("son and husband visisted. daughter called.", "visisted");
    NEG("RESP: WEANED TO 40% (SEE CAREVUE) AND STABLE", "CAREVUE");
    NEG("Pain 2/10. Pt. Tolerated PT well, to see MD Monday.", "Monday");
    NEG("Plan per md. Continue lasix.", "Continue");
    NEG("see pg 2 for details", "2");
}

Test(redact, facility_names_in_capitals)
{
    POS("SLEEP ON 8/25 WITH CP, TAKEN TO UNION HOSPITAL WHERE EKG POS", "UNION", CS_PHI_FACILITY);
    POS("PT ADMITTED FROM LAUREL REGIONAL FOR ANGINA", "LAUREL", CS_PHI_FACILITY);
    NEG("HE WANTED TO LEAVE HOSPITAL AND SIGN AMA.", "LEAVE");
    NEG("discussion about discharge back to assisted living facility", "assisted");
    NEG("CV: Hr 90-110's ST. Stable Bp off neo.", "Stable");
    NEG("RATE DECREASED TO 50 BY DR MASCI", "50");
}

Test(redact, history_years)
{
    POS("PMH: CAD, S/P MI 1992; LCX PTCA", "1992", CS_PHI_DATE);
    POS("middle cerebellar peduncle CVA 2004, hernia", "2004", CS_PHI_DATE);
    POS("PMH: RENAL CELL CA 1977,S/P R NEPHRECTOMY", "1977", CS_PHI_DATE);
    POS("DM W RETINOPATHY. | CVA 74'. | OBESITY.", "74", CS_PHI_DATE);
    POS("HX OF POSSIBLE MI IN 1980S AFTER OPEN CHOLE", "1980S", CS_PHI_DATE);
    POS("pmh: cad s/p cabg '84 | s/p avr", "'84", CS_PHI_DATE);
    NEG("Labs at 2000 crit, and am labs.", "2000");
    NEG("HOB 30'. Drain placed at 15cm.", "30");
    NEG("ACTIVITY: AMBULATED 50' WITH 2 ASSIST.", "50");
    NEG("a history of MI in 2020, now stable?", "2020"); /* ASQ leaves these alone */
    NEG("HR 110 ST, BP 120/60.", "110");
    NEG("FLUID BALANCE. CHECK LABS AT 2000. TO OR FIRST CASE", "2000");
    NEG("BLOOD TRANSFUSION, AND DUMPED 2000+.", "2000");
    POS("PMH: CABG 81, Redo CABG 84, MVR,MI 81,HTN", "84", CS_PHI_DATE);
    cr_expect(later_hit("PMH: CABG 81, Redo CABG 84, MVR,MI 81,HTN", "MVR", "81", CS_PHI_DATE));
    NEG("VS: HR 81, BP 110/60, RR 18.", "81");
    NEG("PMHX CVA. BS with bilateral rhonchi,HR 85,BP 130/70", "85");
}

/* ------------------------------------------------------------ person names (redact_names.c) */

Test(redact, names_that_are_words_after_titles)
{
    POS("d/w Dr. Will re: abx.", "Will", CS_PHI_NAME);
    POS("Dr. Will, the covering resident, is aware.", "Will", CS_PHI_NAME);
    POS("DR. WILL AWARE OF K 5.9", "WILL", CS_PHI_NAME);
    NEG("Dr. will see the patient in the morning.", "will");
    NEG("Dr. May be consulted later.", "May");
    /* a lone letter after a title, in any case */
    POS("Dr. x aware of results.", "x", CS_PHI_NAME);
    POS("dr b notified, no new orders.", "b", CS_PHI_NAME);
    POS("MS S. FAMILY UPDATED", "S.", CS_PHI_NAME);
    NEG("MS A&O X3, MAE", "A");
    NEG("worried she will miss a meeting today", "a");
    NEG("paged dr x2 without answer", "x2");
}

Test(redact, names_that_are_words_after_relatives_roles_and_talking)
{
    POS("HCP is son Will, phone on chart.", "Will", CS_PHI_NAME);
    NEG("HCP is son Will, phone on chart.", "son");
    NEG("son will call back tonight.", "will");
    POS("His wife's name is Grace.", "Grace", CS_PHI_NAME);
    POS("Son-in-law Frank visited.", "Frank", CS_PHI_NAME);
    POS("Resident Will aware of the gas.", "Will", CS_PHI_NAME);
    POS("per Rose, hold the heparin.", "Rose", CS_PHI_NAME);
    POS("Paged Bill about the pressure.", "Bill", CS_PHI_NAME);
    POS("Spoke with Hope about goals of care.", "Hope", CS_PHI_NAME);
    POS("talked with helen from case management", "helen", CS_PHI_NAME);
    POS("d/w Smith from renal.", "Smith", CS_PHI_NAME);
    NEG("per Case Management, placement pending.", "Case");
    NEG("notified House officer of the fever.", "House");
    cr_expect(!covered("results due by May 3.", "May", CS_PHI_NAME, NULL));
    cr_expect(!covered("to be completed by May.", "May", CS_PHI_NAME, NULL));
    NEG("spoke with Pharmacy about dosing.", "Pharmacy");
    /* "c/w", "s/p" are consistent with, status post */
    NEG("c/w Parkinson disease.", "Parkinson");
    NEG("s/p Whipple procedure.", "Whipple");
    NEG("d/w team, will diurese.", "team");
}

Test(redact, names_before_a_relation)
{
    POS("Spoke with Bill, pt's son, who will come in.", "Bill", CS_PHI_NAME);
    POS("Joy, the patient's niece, visited.", "Joy", CS_PHI_NAME);
    POS("Dawn, daughter, called twice.", "Dawn", CS_PHI_NAME);
    NEG("Overnight, pt's son called.", "Overnight");
    NEG("However, her daughter is the proxy.", "However");
    NEG("Plan discussed with Cardiology, his son agrees.", "Cardiology");
}

Test(redact, names_with_credentials_headers_pairs_and_initials)
{
    POS("Rose RN aware of the low urine output.", "Rose", CS_PHI_NAME);
    NEG("Will RN call the pharmacy?", "Will");
    POS("Smith, John MD", "Smith", CS_PHI_NAME);
    POS("Smith, John MD", "John", CS_PHI_NAME);
    POS("GARCIA, MARIA L\nDOB 1/2/1940", "GARCIA", CS_PHI_NAME);
    POS("Signed: Lopez, Carmen", "Carmen", CS_PHI_NAME);
    NEG("Wound, Care nurse to see", "Wound");
    POS("Medications prescribed to Will Smith at discharge.", "Will", CS_PHI_NAME);
    POS("Medications prescribed to Will Smith at discharge.", "Smith", CS_PHI_NAME);
    POS("Patient John Doe is a 50 yo man.", "Doe", CS_PHI_NAME);
    NEG("Will Call back with the results.", "Will");
    NEG("Will Parkinson disease progress?", "Parkinson");
    NEG("SOB and DOE on exertion, John reports.", "DOE");
    POS("pt is Jane B seen in clinic", "B", CS_PHI_NAME);
    POS("Prescribed to Jane D., a 55-year-old woman.", "D.", CS_PHI_NAME);
    POS("under Dr. Alan S.?", "S.", CS_PHI_NAME);
    NEG("Vitamin D level low.", "D");
    POS("nsg (d. renna and j. o'brien) verified", "renna", CS_PHI_NAME);
    POS("nsg (d. renna and j. o'brien) verified", "o'brien", CS_PHI_NAME);
    NEG("cx grew e. coli and s. aureus", "coli");
    NEG("cx grew e. coli and s. aureus", "aureus");
    NEG("meds given p.o. q.i.d. as ordered", "q");
    POS("KEEP ALVARADO FAMILY AWARE OF PLAN", "ALVARADO", CS_PHI_NAME);
    POS("met with the Kowalski family today", "Kowalski", CS_PHI_NAME);
    NEG("PT FAMILY AWARE OF PLAN", "PT");
    NEG("met with the Foley family? no, the foley was changed", "foley");
}

Test(redact, names_before_reporting_words_and_in_lists)
{
    POS("GUNDERSEN AWARE OF LOW UO.", "GUNDERSEN", CS_PHI_NAME);
    POS("Abernathy aware of the gas.", "Abernathy", CS_PHI_NAME);
    POS("Okafor/Lindqvist aware", "Lindqvist", CS_PHI_NAME);
    NEG("TEAM AWARE OF LOW UO.", "TEAM");
    NEG("colace given, senna ordered as well.", "senna");
    NEG("RENAL AWARE, NEURO NOTIFIED", "NEURO");
    POS("SEEN BY DRS ABERNATHY, OKAFOR AND LINDQVIST.", "OKAFOR", CS_PHI_NAME);
    POS("SEEN BY DRS ABERNATHY, OKAFOR AND LINDQVIST.", "LINDQVIST", CS_PHI_NAME);
    POS("FAMILY (KATHLEEN AND PATRICK) IN TO VISIT.", "PATRICK", CS_PHI_NAME);
    NEG("FAMILY (WIFE AND SON) IN TO VISIT.", "WIFE");
    NEG("family and friends at bedside", "friends");
    POS("HCP: KATHLEEN MURPHY (DAUGHTER)", "MURPHY", CS_PHI_NAME);
    POS("S/W OKAFOR RE PLAN", "OKAFOR", CS_PHI_NAME);
    POS("spoke w/ Gunderson about the plan", "Gunderson", CS_PHI_NAME);
    NEG("Oxygen saturation by Pulse oximetry 92%", "Pulse");
    cr_expect(covered("Onset Sun Jan 01 1995", "Jan 01", CS_PHI_DATE, NULL));
}

Test(redact, names_more_contexts)
{
    POS("Attending: Gunderson", "Gunderson", CS_PHI_NAME);
    POS("RESIDENT: WILL\nPLAN: DIURESE", "WILL", CS_PHI_NAME);
    NEG("Attending: aware of plan", "aware");
    POS("45 yo man named Zebulon admitted.", "Zebulon", CS_PHI_NAME);
    POS("care plan reviewed\nJM RN", "JM", CS_PHI_NAME);
    POS("care plan reviewed - kb rn", "kb", CS_PHI_NAME);
    NEG("PT TO OR, ED RN", "ED");
    NEG("SEEN IN ED BY RN AND MD", "ED");
    POS("MS. GUNDERSON RESTING.", "GUNDERSON", CS_PHI_NAME);
    NEG("MS. CHANGES OVERNIGHT.", "CHANGES");
    POS("Okafor and Lindqvist in to see pt.", "Okafor", CS_PHI_NAME);
    NEG("Lasix and Coumadin in to pharmacy.", "Lasix");
}

Test(redact, names_in_conversations)
{
    POS("[doctor] hi , marisol . how are you ?", "marisol", CS_PHI_NAME);
    POS("Good morning, Tomas! Any pain?", "Tomas", CS_PHI_NAME);
    NEG("[doctor] hi , good to see you .", "good");
    NEG("[patient] hi , doc . fine .", "doc");
    POS("[doctor] so , tomas okafor is a 62-year-old male with gout .", "okafor", CS_PHI_NAME);
    POS("Tomas is a 45 yo man with CHF.", "Tomas", CS_PHI_NAME);
    NEG("Hope is a 4 on the scale.", "Hope");
    NEG("Pain is a 7 out of 10.", "Pain");
}

Test(redact, names_in_signatures_and_contact_labels)
{
    POS("cc: Okafor, Lindqvist", "Lindqvist", CS_PHI_NAME);
    NEG("given 500 cc, Lasix 20", "Lasix");
    POS("Next of kin: Marisol", "Marisol", CS_PHI_NAME);
    POS("Emergency contact: Tomas", "Tomas", CS_PHI_NAME);
    NEG("Contact: wife", "wife");
    POS("Practitioner MD Khan, Samir", "Samir", CS_PHI_NAME);
    NEG("Plan per MD Lasix, Zosyn", "Zosyn");
    POS("Marisol is her sister.", "Marisol", CS_PHI_NAME);
}

Test(redact, names_as_initials_newborns_and_before_record_numbers)
{
    POS("Can pt J.S. get an MRI with a pacemaker?", "J.S.", CS_PHI_NAME);
    NEG("Approved in the U.S. for adults.", "U.S.");
    NEG("Seen by the M.D. on call.", "M.D.");
    POS("Baby Boy Okafor has jaundice.", "Okafor", CS_PHI_NAME);
    NEG("baby boy born at 38 weeks", "born");
    POS("Priya (MRN 12345) has a rash.", "Priya", CS_PHI_NAME);
    POS("Tomas Gunderson, DOB 1/2/1950", "Gunderson", CS_PHI_NAME);
    NEG("Lasix (MRN 12345 order) held.", "Lasix");
    NEG("Patient (MRN 12345) seen.", "Patient");
}

Test(redact, names_with_particles_and_nicknames)
{
    POS("DR. VAN DER BERG IN TO SEE PT.", "VAN DER BERG", CS_PHI_NAME);
    POS("Dr. de la Cruz aware.", "de la Cruz", CS_PHI_NAME);
    NEG("Dr. de la unit aware.", "unit");
    POS("DAUGHTER KATHLEEN (KATE) CALLED.", "KATE", CS_PHI_NAME);
    NEG("Lasix (LATE) given.", "LATE");
    NEG("Pt (KATE) unclear.", "KATE");
}

Test(redact, names_owning_a_relative)
{
    POS("Marisol's husband called.", "Marisol", CS_PHI_NAME);
    POS("GUNDERSON'S DAUGHTER IN TO VISIT.", "GUNDERSON", CS_PHI_NAME);
    NEG("Pt's daughter called.", "Pt");
    NEG("Today's visitors: daughter.", "Today");
    NEG("Mother's husband visited.", "Mother");
}

Test(redact, names_after_more_roles)
{
    POS("HO GUNDERSON AWARE OF BP.", "GUNDERSON", CS_PHI_NAME);
    POS("PCA MARISOL ASSISTED.", "MARISOL", CS_PHI_NAME);
    POS("tech marisol drew labs", "marisol", CS_PHI_NAME);
    POS("Cards fellow (Gunderson) aware.", "Gunderson", CS_PHI_NAME);
    NEG("ett secured at the 24 cm mark at the lip", "mark");
    NEG("SITTER AT BEDSIDE, TECH AWARE", "AWARE");
}

Test(redact, names_that_are_words_spread_only_as_names)
{
    /* found from its context, a name that is an English word spreads
     * where it is written as a name, not where it is the word */
    cr_expect(later_hit("Daughter Hope at bedside. Later told Hope about the plan.", "Later", "Hope", CS_PHI_NAME));
    cr_expect(later_hit("DAUGHTER HOPE AT BEDSIDE. HOPE CALLED AT 2000.", "BEDSIDE", "HOPE", CS_PHI_NAME));
    cr_expect(!later_hit("Daughter Hope at bedside. Hope to extubate tomorrow.", "bedside", "Hope", -1));
    cr_expect(!later_hit("DAUGHTER HOPE AT BEDSIDE. HOPE TO EXTUBATE.", "BEDSIDE", "HOPE", -1));
    cr_expect(later_hit("Dr. Foley saw pt. Foley aware of gas.", "saw", "Foley", CS_PHI_NAME));
    cr_expect(!later_hit("Dr. Foley saw pt. Pt has a Foley in place.", "saw", "Foley", -1));
}

Test(redact, names_apostrophes_possessives_and_places_first)
{
    POS("Mr. O'Neil is resting comfortably.", "O'Neil", CS_PHI_NAME);
    POS("Dr. Smith's plan is to extubate.", "Smith", CS_PHI_NAME);
    NEG("Dr. Smith's plan is to extubate.", "'s plan"); /* the possessive stays readable */
    cr_expect(covered("Seen by Baltimore Rehab today.", "Baltimore", CS_PHI_LOCATION, NULL) ||
              covered("Seen by Baltimore Rehab today.", "Baltimore", CS_PHI_FACILITY, NULL) ||
              !touched("Seen by Baltimore Rehab today.", "Baltimore"),
              "a place after 'by' is no person's name");
}

/* ------------------------------------------------------------ identity */

Test(redact, document_identity_everywhere_with_variants)
{
    cs_identity id = {0};
    cs_strlist_add(&id.names, "Maria Przybylo");
    cs_strlist_add(&id.identifiers, "998877");
    cs_strlist_add(&id.birth_dates, "19620805");
    cs_strlist_add(&id.addresses, "12 Oak Lane");
    cs_strlist_add(&id.telecoms, "tel:+1-410-555-0000");
    cs_strlist_add(&id.names, "Tom Brown");
    const char *t = "PRZYBYLO, MARIA seen today; przybylo's daughter came. "
                    "Born 08/05/1962, i.e. August 5, 1962. Chart 99 88 77. "
                    "Call 410 555 0000. Lives at 12 oak lane. Mr Brown has brown stool.";
    cr_expect(covered(t, "PRZYBYLO", CS_PHI_NAME, &id));
    cr_expect(covered(t, "MARIA", CS_PHI_NAME, &id));
    cr_expect(covered(t, "przybylo's", CS_PHI_NAME, &id) || covered(t, "przybylo", CS_PHI_NAME, &id));
    cr_expect(covered(t, "08/05/1962", CS_PHI_DATE, &id));
    cr_expect(covered(t, "August 5, 1962", CS_PHI_DATE, &id));
    cr_expect(covered(t, "99 88 77", CS_PHI_ID, &id));
    cr_expect(covered(t, "410 555 0000", CS_PHI_PHONE, &id));
    cr_expect(covered(t, "12 oak lane", CS_PHI_LOCATION, &id));
    cr_expect(covered(t, "Brown", CS_PHI_NAME, &id));
    cs_span_list l = find(t, &id);
    const char *stool = strstr(t, "brown stool");
    for (size_t i = 0; i < l.n; i++)
        cr_expect(!(l.items[i].start <= (size_t)(stool - t) && l.items[i].end > (size_t)(stool - t)),
                  "the word 'brown' is not the name Brown");
    int identity = 0;
    for (size_t i = 0; i < l.n; i++) identity |= l.items[i].source == CS_SRC_IDENTITY;
    cr_expect(identity);
    cs_span_list_free(&l);
    cs_strlist_free(&id.names); cs_strlist_free(&id.identifiers); cs_strlist_free(&id.birth_dates);
    cs_strlist_free(&id.addresses); cs_strlist_free(&id.telecoms);
}

/* ------------------------------------------------------------ modes */

static char *apply(const char *text, cs_redact_mode mode, int keep_dates, uint64_t seed, const cs_identity *id)
{
    cs_span_list l = find(text, id);
    cs_redact_opts o = {mode, keep_dates, seed};
    cs_redact_session *s = cs_redact_session_new(&o);
    cr_assert_not_null(s);
    char *out = NULL;
    size_t n = 0;
    cr_assert_eq(cs_redact_apply(s, text, strlen(text), &l, &out, &n), CS_OK);
    cr_assert_eq(strlen(out), n);
    cs_redact_session_free(s);
    cs_span_list_free(&l);
    return out;
}

static const char *NOTE =
    "Seen by Dr. Lipper on 03/04/2021. Daughter Thelma called from (410) 555-1234. "
    "Dr. Lipper reviewed the echo on 03/14/2021 at Methodist Hospital. MRN: 4455667.";

Test(redact, mask_mode)
{
    char *out = apply(NOTE, CS_REDACT_MASK, 0, 1, NULL);
    cr_expect(strstr(out, "Dr. [NAME]") != NULL, "%s", out);
    cr_expect(strstr(out, "[DATE]") != NULL);
    cr_expect(strstr(out, "[PHONE]") != NULL);
    cr_expect(strstr(out, "[FACILITY]") != NULL);
    cr_expect(strstr(out, "MRN: [ID]") != NULL, "%s", out);
    free(out);
}

Test(redact, pseudonym_mode_is_consistent)
{
    cs_identity id = {0};
    cs_strlist_add(&id.names, "Gerry Masci");
    char *out = apply("Dr. Lipper saw Gerry Masci. Dr. Lipper and Dr. Okafor agreed; Masci improved.",
                      CS_REDACT_PSEUDONYM, 0, 1, &id);
    cr_expect(strstr(out, "Dr. [CLINICIAN-1] saw [PATIENT]. Dr. [CLINICIAN-1] and Dr. [CLINICIAN-2] agreed; [PATIENT] improved.") != NULL,
              "%s", out);
    free(out);
    cs_strlist_free(&id.names);
}

Test(redact, surrogate_names_are_consistent_and_real_looking)
{
    char *a = apply(NOTE, CS_REDACT_SURROGATE, 0, 42, NULL);
    char *b = apply(NOTE, CS_REDACT_SURROGATE, 0, 42, NULL);
    cr_expect_str_eq(a, b, "same seed, same surrogates");
    cr_expect(strstr(a, "Lipper") == NULL);
    cr_expect(strstr(a, "[") == NULL, "surrogates are values, not tags: %s", a);
    /* both mentions of Dr. Lipper got the same surrogate */
    const char *p = strstr(a, "Dr. "), *q = p ? strstr(p + 4, "Dr. ") : NULL;
    cr_assert(p && q);
    size_t n = strcspn(p + 4, " ");
    cr_expect(!strncmp(p + 4, q + 4, n), "%s", a);
    free(a);
    free(b);
}

static long day_number(int y, int m, int d)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900, tm.tm_mon = m - 1, tm.tm_mday = d, tm.tm_hour = 12;
    return (long)(timegm(&tm) / 86400);
}

Test(redact, surrogate_date_shift_keeps_intervals)
{
    const char *t = "Admitted 03/04/2021, discharged 03/14/2021; seen again March 30, 2021.";
    for (uint64_t seed = 1; seed < 6; seed++) {
        char *out = apply(t, CS_REDACT_SURROGATE, 0, seed, NULL);
        int m1, d1, y1, m2, d2, y2;
        cr_assert_eq(sscanf(out, "Admitted %d/%d/%d, discharged %d/%d/%d", &m1, &d1, &y1, &m2, &d2, &y2), 6, "%s", out);
        long a = day_number(y1, m1, d1), b = day_number(y2, m2, d2);
        cr_expect_eq(b - a, 10, "interval kept: %s", out);
        cr_expect_neq(a, day_number(2021, 3, 4), "date moved: %s", out);
        cr_expect(strstr(out, "March 30, 2021") == NULL);
        char mon[16];
        int d3, y3;
        const char *p = strstr(out, "again ");
        cr_assert(p && sscanf(p, "again %15s %d, %d", mon, &d3, &y3) == 3, "%s", out);
        free(out);
    }
    char *kept = apply(t, CS_REDACT_SURROGATE, 1, 3, NULL);
    cr_expect_str_eq(kept, t, "--keep-dates leaves dates");
    free(kept);
}

Test(redact, zip_three_digit_rule)
{
    /* HIPAA: keep the first three digits unless that area has under 20,000
     * people (036, 102, 823... become 000). */
    char *out = apply("Lives in Boston, MA 02114 now.", CS_REDACT_SURROGATE, 0, 7, NULL);
    cr_expect(strstr(out, "02100") != NULL, "%s", out);
    free(out);
    out = apply("Moved to Dallas, TX 75201 now.", CS_REDACT_SURROGATE, 0, 7, NULL);
    cr_expect(strstr(out, "75200") != NULL, "%s", out);
    free(out);
    out = apply("Mail to Hanover, NH 03601 now.", CS_REDACT_SURROGATE, 0, 7, NULL);
    cr_expect(strstr(out, "00000") != NULL, "%s", out);
    free(out);
    out = apply("Mail to Rock Springs, WY 82301 now.", CS_REDACT_SURROGATE, 0, 7, NULL);
    cr_expect(strstr(out, "00000") != NULL, "%s", out);
    free(out);
}

Test(redact, output_contains_none_of_the_detected_strings)
{
    cs_span_list l = find(NOTE, NULL);
    cr_assert_gt(l.n, 5);
    for (int mode = CS_REDACT_MASK; mode <= CS_REDACT_SURROGATE; mode++) {
        char *out = apply(NOTE, (cs_redact_mode)mode, 0, 99, NULL);
        for (size_t i = 0; i < l.n; i++) {
            char orig[128];
            size_t n = l.items[i].end - l.items[i].start;
            if (n < 3 || n >= sizeof orig) continue;
            memcpy(orig, NOTE + l.items[i].start, n);
            orig[n] = 0;
            cr_expect(strstr(out, orig) == NULL, "mode %d leaked '%s': %s", mode, orig, out);
        }
        free(out);
    }
    cs_span_list_free(&l);
}

/* ------------------------------------------------------------ robustness */

Test(redact, hostile_input_finishes_quickly)
{
    size_t n = 200000;
    char *s = malloc(n + 1);
    const char *pieces[] = {"a", "1/", "Dr. ", "@a.", "11-", "Aa ", "St. ", "1 ",
                            /* places and the widening pass: every word a span */
                            "Boston, ", "Boston VA ", "U of ", "lives in Towson ", "on 1-1 ", "New York ",
                            "e-mail: a@", "Mercy Hospital in Boston, MD "};
    for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++) {
        size_t k = strlen(pieces[p]);
        for (size_t i = 0; i < n; i++) s[i] = pieces[p][i % k];
        s[n] = 0;
        cs_span_list l = {0};
        clock_t c0 = clock();
        int rc = cs_redact_text(R, s, n, NULL, &l);
        double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
        cr_expect(rc == CS_OK || rc == CS_ERR_LIMIT, "piece %zu: %s", p, cs_strerror(rc));
        cr_expect_lt(secs, 20.0, "piece %zu took %.1fs", p, secs);
        cs_span_list_free(&l);
    }
    free(s);
}

Test(redact, invalid_arguments)
{
    cs_span_list l = {0};
    cr_expect_eq(cs_redact_text(NULL, "x", 1, NULL, &l), CS_ERR_INVALID);
    cr_expect_eq(cs_redact_text(R, NULL, 1, NULL, &l), CS_ERR_INVALID);
    cr_expect_eq(cs_redact_text(R, "", 0, NULL, &l), CS_OK);
    cr_expect_eq(l.n, 0);
    cs_redact_opts o = {CS_REDACT_MASK, 0, 0};
    cs_redact_session *s = cs_redact_session_new(&o);
    cs_phi_span bad[2] = {{0, 5, CS_PHI_NAME, 0, 0}, {3, 8, CS_PHI_NAME, 0, 0}};
    cs_span_list bl = {bad, 2, 2};
    char *out = NULL;
    cr_expect_eq(cs_redact_apply(s, "abcdefghij", 10, &bl, &out, NULL), CS_ERR_INVALID, "overlapping spans");
    bad[1] = (cs_phi_span){6, 20, CS_PHI_NAME, 0, 0};
    cr_expect_eq(cs_redact_apply(s, "abcdefghij", 10, &bl, &out, NULL), CS_ERR_INVALID, "span past the end");
    cr_expect_null(out);
    cr_expect_neq(cs_redact_session_date_shift(s), 0);
    cr_expect_eq(cs_redact_session_date_shift(s), cs_redact_session_date_shift(s));
    cs_redact_session_free(s);
    cr_expect_null(cs_redact_session_new(NULL));
    cr_expect_str_eq(cs_phi_category_name(CS_PHI_DATE), "DATE");
    cr_expect_str_eq(cs_phi_category_name((cs_phi_category)99), "PHI");
    cr_expect_str_eq(cs_phi_source_name(CS_SRC_IDENTITY), "identity");
}

static void *worker(void *arg)
{
    size_t *n = arg;
    for (int k = 0; k < 20; k++) {
        cs_span_list l = {0};
        if (cs_redact_text(R, NOTE, strlen(NOTE), NULL, &l) != CS_OK) { *n = (size_t)-1; return NULL; }
        if (k && l.n != *n) { *n = (size_t)-1; cs_span_list_free(&l); return NULL; }
        *n = l.n;
        cs_span_list_free(&l);
    }
    return NULL;
}

Test(redact, one_redactor_many_threads)
{
    pthread_t th[4];
    size_t n[4] = {0};
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, &n[i]);
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    size_t expect = n_spans(NOTE);
    for (int i = 0; i < 4; i++) cr_expect_eq(n[i], expect);
}

/* ------------------------------------------------------------ documents */

Test(redact, document_sections_share_one_session)
{
    cs_document *d = cs_document_new(CS_FMT_CCDA);
    cs_strlist_add(&d->identity.names, "Gerry Masci");
    const char *a = "Gerry Masci admitted 03/04/2021 by Dr. Lipper.";
    const char *b = "Masci seen again 03/14/2021; Dr. Lipper agrees.";
    cs_document_add_section(d, "HPI", NULL, NULL, a, strlen(a), 0, 10);
    cs_document_add_section(d, "Plan", NULL, NULL, b, strlen(b), 10, 20);
    cs_redact_opts o = {CS_REDACT_PSEUDONYM, 0, 5};
    cs_redacted_doc r;
    cr_assert_eq(cs_redact_document(R, d, &o, &r), CS_OK);
    cr_assert_eq(r.n_sections, 2);
    cr_expect(strstr(r.section_text[0], "[PATIENT]") && strstr(r.section_text[1], "[PATIENT]"));
    cr_expect(strstr(r.section_text[0], "Dr. [CLINICIAN-1]") && strstr(r.section_text[1], "Dr. [CLINICIAN-1]"),
              "%s | %s", r.section_text[0], r.section_text[1]);
    cr_expect_eq(r.counts[CS_PHI_DATE], 2);
    cr_expect_geq(r.counts[CS_PHI_NAME], 3);
    cr_expect_eq(r.section_spans[0].items[0].start, 0);
    cs_redacted_doc_free(&r);
    cs_redacted_doc_free(&r); /* idempotent */
    cs_document_free(d);
}
