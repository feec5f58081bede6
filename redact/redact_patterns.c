/*
 * redact_patterns.c: PCRE2 patterns for structured identifiers (dates,
 * phones, e-mail, SSN, labelled record/plan/account/licence numbers, URLs,
 * IPs, ZIP codes, street addresses, ages over 89, device ids, facility
 * names).  Compiled once per redactor, JIT-compiled where PCRE2 has JIT
 * (native; the WASM build of PCRE2 has none and interprets), and run with
 * match and depth limits so hostile input fails with CS_ERR_LIMIT instead
 * of stalling.  Each pattern may name a capture group that is the
 * identifier (the label around it is context) and a post-check below.
 */
#include "redact_internal.h"

#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

enum {
    K_NONE = 0,
    K_NUMDATE,   /* m/d[/y], d.m.y: range checks, fractions */
    K_MONTH,     /* month-name dates: "may"/"mar"/"dec" need more context */
    K_BAREMONTH, /* a month name alone */
    K_URL,       /* trim trailing punctuation */
    K_DIGIT,     /* value must contain a digit */
    K_FACILITY,  /* trim leading stop words; need a name word left */
    K_PHONE_LBL, /* labelled phone/pager: at least 4 digits */
    K_PMH,       /* only on a past-history line ("PMH: CABG 81, MI 81") */
    K_NOTCODE    /* a bare number that is not a terminology code ("SNOMED CT") */
};

#define MON "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
#define DAY "(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
#define STATES "(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY]|PR)"
#define NUMLBL "(?:\\s+(?:number|num|no\\.?|#|id))?"
/* Words a street name never is ("120 PER DR KENNEY" is no "Drive"). */
#define ADDR_STOP "(?:BY|PER|TO|AT|OF|WITH|AND|FROM|IN|ON|FOR|by|per|to|at|of|with|and|from|in|on|for)\\s"
#define NUMREQ "\\s+(?:number|num|no\\.?|#|id)"

/* What a text must contain for a pattern to have a chance: checked once
 * per text so those patterns skip the scan (most notes have no '@'). */
enum { N_NONE = 0, N_AT = 1, N_ORDINAL = 2, N_COLONS = 4, N_URL = 8,
       N_DIGITS5 = 16,  /* a run of five or more digits */
       N_RUN17 = 32,    /* a run of 17 or more letters and digits */
       N_DOTTED = 64,   /* digits.digits.digits */
       N_YEAR4 = 128,   /* a run of digits starting 19 or 20 */
       N_APOS = 256,    /* an apostrophe next to a digit ('92, 74') */
       N_PMH = 512 };   /* "PMH" or "past medical" somewhere */

static const struct {
    cs_phi_category cat;
    int group, kind;
    const char *re;
    int need;
    /* Words (lower case, space-separated) at which the pattern is tried,
     * anchored, instead of scanning the whole text; "@" = at e-mail local
     * parts.  Label patterns are cheap this way even without JIT (WASM).
     * A first item "+d" / "+y" says what the next non-blank character after
     * the trigger word must be (a digit, that letter in either case) for
     * the pattern to be tried (blanks and a hyphen skipped): frequent words
     * ("on", "new") cost no match.
     */
    const char *trigger;
} specs[] = {
    /* --- contact and network */
    {CS_PHI_EMAIL, 0, K_NONE, "\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b", N_AT, "@"},
    {CS_PHI_URL, 0, K_URL, "(?i)\\b(?:https?://|ftp://|www\\.)[^\\s<>\"']+", N_URL, NULL},
    {CS_PHI_IP, 0, K_NONE, "\\b(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\b(?!\\.\\d)", N_DOTTED, NULL},
    {CS_PHI_IP, 0, K_NONE, "(?i)\\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\\b", N_COLONS, NULL},
    {CS_PHI_PHONE, 0, K_NONE, "(?<![\\w.])(?:\\+?1[\\s.-]?)?(?:\\(\\s*\\d{3}\\s*\\)\\s*|\\d{3}[\\s.-]?)\\d{3}[\\s.-]\\d{4}(?![\\d-])", N_NONE, NULL},
    {CS_PHI_PHONE, 0, K_NONE, "\\(\\d{3}\\d{3}-\\d{4}\\)", N_NONE, NULL},
    {CS_PHI_PHONE, 1, K_PHONE_LBL, "(?i)\\b(?:phone|tel|telephone|fax|facsimile|pager|pgr|pg(?=\\s*[:#]?\\s*\\d{4})|beeper|cell|mobile|ph(?=\\s*[:#])|contact number|call(?:ed)? (?:him |her |them )?(?:at|on))\\b[^\\d\\n]{0,20}?(\\+?\\d[\\d\\s().-]{2,18}\\d)(?!\\d|\\.\\d)", N_NONE, "phone tel telephone fax facsimile pager pgr pg beeper cell mobile ph contact call called"},
    {CS_PHI_PHONE, 1, K_PHONE_LBL, "(?i)\\b(?:x|ext\\.?|extension)\\s*(\\d{3,6})\\b", N_NONE, "x ext extension"},
    /* --- SSN and labelled identifiers */
    {CS_PHI_SSN, 0, K_NONE, "(?<![\\d-])\\d{3}-\\d{2}-\\d{4}(?![\\d-])", N_NONE, NULL},
    {CS_PHI_SSN, 1, K_NONE, "(?i)\\b(?:ssn|ss#|social security" NUMLBL ")\\s*[:#]?\\s*(\\d{3}[- ]?\\d{2}[- ]?\\d{4})\\b", N_NONE, "ssn ss social"},
    {CS_PHI_ID, 1, K_DIGIT,
     "(?i)\\b(?:mrn|mr#|medical record" NUMLBL "|record" NUMREQ "|chart" NUMREQ "|acct|account" NUMLBL
     "|member" NUMLBL "|policy" NUMLBL "|insurance" NUMLBL "|health plan" NUMLBL "|plan" NUMLBL
     "|subscriber" NUMLBL "|group" NUMREQ "|licen[cs]e" NUMLBL "|lic|dea" NUMLBL "|npi|certificate" NUMLBL
     "|cert|claim" NUMREQ "|case" NUMREQ "|patient id|pt id|id|identifier|encounter" NUMREQ "|visit" NUMLBL
     "|accession" NUMLBL "|beneficiary" NUMLBL "|medicaid" NUMLBL "|medicare" NUMLBL "|insurance id"
     "|med\\.?\\s*rec(?:ord)?" NUMLBL "|ref(?:erence)?" NUMREQ "|passport" NUMLBL "|badge" NUMLBL "|employee" NUMREQ
     "|emr|ehr|requisition" NUMLBL "|specimen" NUMREQ "|confirmation" NUMLBL "|ticket" NUMLBL "|tracking" NUMLBL "|hicn|mbi)"
     "\\.?\\s*(?:is|was|of)?\\s*[:#=-]?\\s*(#?[A-Za-z0-9][A-Za-z0-9-]{2,24}(?:-[A-Za-z0-9]+)*)", N_NONE, "mrn mr medical record chart acct account member policy insurance health plan subscriber group license licence lic dea npi certificate cert claim case patient pt id identifier encounter visit accession beneficiary medicaid medicare med medrec ref reference passport badge employee emr ehr requisition specimen confirmation ticket tracking hicn mbi"},
    /* an address given after its label, even one a mail client would not
     * accept ("e-mail: jdoe@clinic") */
    {CS_PHI_EMAIL, 1, K_URL, "(?i)\\be-?mail(?:\\s+address)?\\s*(?:is|:|-)?\\s*([^\\s@<>(),;]+@[^\\s<>(),;]+)", N_AT, "email e mail"},
    {CS_PHI_DEVICE, 1, K_DIGIT,
     "(?i)\\b(?:serial" NUMLBL "|s/n|sn|model" NUMLBL "|lot" NUMLBL "|device" NUMLBL "|udi|vin|imei|"
     "license plate|plate" NUMLBL "|pacemaker" NUMLBL "|implant" NUMLBL ")\\.?\\s*[:#]?\\s*([A-Za-z0-9][A-Za-z0-9-]{3,30})", N_NONE, "serial s sn model lot device udi vin imei license plate pacemaker implant"},
    {CS_PHI_DEVICE, 0, K_DIGIT, "\\b(?=[A-HJ-NPR-Z0-9]*[A-Z])[A-HJ-NPR-Z0-9]{17}\\b", N_RUN17, NULL},
    {CS_PHI_ID, 0, K_NONE, "#?\\b[A-Z]{1,6}-?\\d{5,}(?:-\\d+)*\\b", N_DIGITS5, NULL},
    {CS_PHI_ID, 0, K_NONE, "#?\\b[A-Z]{1,6}-\\d{3,}-\\d{2,}\\b(?![%.]?\\d|%)", N_NONE, NULL},
    {CS_PHI_ID, 0, K_NONE, "(?<![\\d.,/-])\\d{2,4}-\\d{2,4}-\\d{2,5}(?![\\d/-])", N_NONE, NULL},
    {CS_PHI_ID, 0, K_NOTCODE, "(?<![\\d.,/#-])\\d{7,}(?![\\d.,])", N_DIGITS5, NULL},
    /* --- dates */
    /* month-name dates, longest form first: "March 4th, 2021", "Mar 4",
     * "4 Mar 2021", "4th of March", "March 2021" (one pass over the text) */
    {CS_PHI_DATE, 0, K_MONTH,
     "(?i)\\b(?:" MON "\\.?\\s+" DAY "(?:(?:\\s*,\\s*|\\s+)(?:of\\s+)?(?:\\d{4}|'\\d{2}))?\\b"
     "|" MON "\\.?,?\\s+(?:of\\s+)?(?:\\d{4}|'\\d{2})\\b)", N_NONE, "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october nov november dec december"},
    /* day first; a range's first day ("1->2 Nov", "3-4 Mar"); a two-digit
     * year after a comma where the line or clause ends or a clock time
     * follows ("21 Apr, 21 0700", "2 nov, 96") */
    {CS_PHI_DATE, 0, K_MONTH, "(?i)\\b(?:(?:[12]\\d|3[01]|0?[1-9])\\s*(?:->?|to)\\s*)?" DAY "\\s+(?:of\\s+)?" MON "\\b\\.?"
     "(?:,?\\s+(?:\\d{4}|'\\d{2})|,[ \\t]*\\d{2}(?=[ \\t]*(?:\\r?\\n|$|[.;)|]|\\d{4}\\b)))?", N_NONE, NULL},
    /* day-month-year with separators, as EHRs print them: "9-Jan-2009",
     * "12/MAR/10", "03.Feb.2021" (the year makes it unambiguous) */
    {CS_PHI_DATE, 0, K_NONE, "(?i)\\b(?:[12]\\d|3[01]|0?[1-9])([-/.])" MON "\\1(?:\\d{4}|\\d{2})\\b", N_NONE, NULL},
    {CS_PHI_DATE, 0, K_BAREMONTH, "(?i)\\b(?:january|february|march|april|june|july|august|september|october|november|december)\\b", N_NONE, "january february march april june july august september october november december"},
    /* "in early May", "since May": the month that is also a verb, Title
     * Case after a word that introduces a time */
    {CS_PHI_DATE, 1, K_NONE, "(?i:\\b(?:early|mid|late|in|since|until|till|through|during|by|last|next|this))[\\s-]+(May)\\b", N_NONE,
     "+m early mid late in since until till through during by last next this"},
    /* a month abbreviation alone after a word that introduces a time: "in
     * sept.", "since Feb", "by Dec" ("mar", "may" and lower-case "dec" are words) */
    {CS_PHI_DATE, 1, K_NONE, "(?i)\\b(?:in|since|until|till|through|during|by|early|mid|late|last|next)[\\s-]+"
     "(jan|feb|apr|jun|jul|aug|sept?|oct|nov|(?-i:Dec|DEC))\\b(?!['-]\\w)", N_NONE, "in since until till through during by early mid late last next"},
    /* m/d/y; glued to a lower-case word in hurried typing ("labs on10/14/82") */
    {CS_PHI_DATE, 0, K_NUMDATE, "(?<![\\dA-Z_./'])(?<!\\d[:-])\\d{1,2}([/.-])\\d{1,2}\\1(?:\\d{4}|\\d{2})(?![\\w/%]|[.-]\\d)", N_NONE, NULL},
    {CS_PHI_DATE, 0, K_NUMDATE, "(?<![\\w./+'])(?<!\\d[:-])(?:0?[1-9]|1[0-2])/(?:\\d{4}|\\d{1,2})(?![\\w/%]|[.-]\\d)", N_NONE, NULL},
    {CS_PHI_DATE, 0, K_NONE, "\\b(?:19|20)\\d{2}([-/.])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12]\\d|3[01])(?:T[\\d:.]+(?:Z|[+-]\\d\\d:?\\d\\d)?)?\\b", N_NONE, NULL},
    {CS_PHI_DATE, 0, K_NONE, "(?<![\\d.])(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])(?![\\d.])", N_NONE, NULL},
    {CS_PHI_DATE, 1, K_NONE, "(?i)\\b(?:on|since|until|till|by|before|after|is|was|it'?s)\\s+the\\s+(\\d{1,2}(?:st|nd|rd|th))\\b"
     "(?!\\s+(?:\\w+\\s+)?(?:day|week|month|year|time|dose|unit|bag|trial|attempt|step|floor|try|round|cycle|"
     "session|grade|percentile|rib|nerve|digit|finger|toe|intercostal|space|ics|pass|stick|set|hour|shift|"
     "patient|pt|case|one|admission|episode|line|person|child|baby|pregnancy|call|visit|consult|degree)s?\\b)", N_ORDINAL,
     "on since until till by before after is was it its"},
    /* "returned to OR on 7-8 for coiling": month-day with a dash after a
     * date preposition, where a clause or sentence goes on ("on 2-3 L" and
     * "on 5-10 mcg" are doses, not dates) */
    {CS_PHI_DATE, 1, K_NUMDATE, "(?i)\\b(?:on|since|until|till|dated)\\s+((?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\\d|3[01]))"
     "(?=\\s*(?:[.,;)]|$)|\\s+(?:for|at|and|with|when|s/p|after|before|until|to\\s+the|by|per|pt|he|she|his|her|the|was|were|\\d{1,2}:\\d\\d)\\b)",
     N_NONE, "+d on since until till dated"},
    /* holidays name a date: "home for Christmas", "fell on Thanksgiving" */
    {CS_PHI_DATE, 0, K_NONE, "(?i)\\bnew\\s+year'?s(?:\\s+(?:eve|day))?\\b", N_NONE, "+y new"},
    {CS_PHI_DATE, 0, K_NONE, "(?i)\\b(?:christmas(?:\\s+(?:eve|day))?|xmas|thanksgiving(?:\\s+day)?|easter(?:\\s+sunday)?|"
     "halloween|valentine'?s\\s+day|independence\\s+day|fourth\\s+of\\s+july|"
     "labor\\s+day|memorial\\s+day|veterans'?\\s+day|mother'?s\\s+day|father'?s\\s+day|hanukk?ah|chanukah|passover|"
     "yom\\s+kippur|rosh\\s+hashanah)\\b", N_NONE,
     "christmas xmas thanksgiving easter halloween valentine valentines independence fourth labor memorial veterans "
     "mother mothers father fathers hanukkah hanukah chanukah passover yom rosh"},
    {CS_PHI_DATE, 1, K_NONE, "(?i)\\b(?:on|since|until|till)\\s+(\\d{1,2}(?:st|nd|rd|th))(?=\\s*(?:[,.;)]|$))", N_ORDINAL, "on since until till"},
    {CS_PHI_DATE, 1, K_NONE, "(?:^|(?<=[\\s(,;]))('\\d{2})(?=[\\s(),;.]|$)", N_APOS, NULL},   /* MI '92 */
    /* a year right after an event written as a capitalised abbreviation
     * ("MI 1992", "CVA 2004", "RENAL CELL CA 1977"), "CVA 74'" (not "30'", feet
     * and degrees are round), "1980s":
     * history years, which PhysioNet's annotators redact; "diagnosed in
     * 2021" stays (ASQ leaves those years alone), and so do clock times
     * ("LABS AT 2000", "DUMPED 2000+") */
    {CS_PHI_DATE, 1, K_NONE, "(?<![\\w/])(?!(?:AT|TO|BY|ON|OF|IN|UNTIL|DUE|FOR|AND|WITH|OVER|DUMPED)\\s)[A-Z]{2,6}\\s+((?:19[3-9]\\d|20(?:0[1-9]|[12]\\d)))(?![\\w/:%+]|[.-]\\d)", N_YEAR4, NULL},
    {CS_PHI_DATE, 1, K_NONE, "(?<![\\w'./-])(\\d[1-9])'(?=[\\s.,;)]|$)", N_APOS, NULL},
    {CS_PHI_DATE, 1, K_PMH, "(?<![\\w/])(?!(?:HR|BP|RR|SBP|DBP|MAP|CVP|PAP|SAT|SATS|HCT|HGB|WBC|PLT|INR|PTT|NA|GLU|BS|FS|UO|TV|PS|PEEP|RATE|TEMP|WT|AGE|EF|AT|TO|BY|ON|OF|IN|FOR|AND)\\s)[A-Z]{2,6}\\s+(?:in\\s+)?(\\d{2})(?=\\s*[,;.)]|\\s*$|\\s+(?:and|AND|&)\\s)", N_PMH, NULL},
    {CS_PHI_DATE, 0, K_NONE, "(?<![\\w'])'?(?:19|20)\\d0'?[sS]\\b", N_YEAR4, NULL},
    /* the year a patient gives when asked for orientation: "knows it is
     * 2020", "states the year is 1998" */
    {CS_PHI_DATE, 1, K_NONE, "(?i)(?<=\\bit |\\byear )(?:is|was)\\s+((?:19|20)\\d{2})\\b(?![/:.-]?\\d|\\s*(?:mg|mcg|ml|cc|u|units?|g|kg|kcal|cal|l|meq|mmol|%)\\b)", N_YEAR4, "+d is was"},
    {CS_PHI_DATE, 1, K_NONE, "(?i)\\b(?:dob|d\\.o\\.b\\.?|date of birth|born(?: on)?|birth ?date)\\s*[:#-]?\\s*([0-9][0-9/.-]{5,9}[0-9])", N_NONE, "dob d date born birth birthdate"},
    {CS_PHI_DATE, 0, K_NONE, "(?i)\\b(?:last|this past)\\s+(?:week|month|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\\b", N_NONE, "last this"},
    /* --- age over 89 */
    {CS_PHI_AGE, 1, K_NONE, "(?i)\\b(9\\d|1[0-2]\\d)(?:\\s*|-)(?:y/?o\\b|yo\\b|y\\.\\s?o(?:\\.|\\b)|yrs?\\b|years?\\b|year-old|yr-old|yo[mf]\\b)", N_NONE, NULL},
    /* a decade over 89 is an age too: "in her 90s", "his late 90's" */
    {CS_PHI_AGE, 1, K_NONE, "(?i)\\b(?:his|her|their)\\s+(?:late\\s+|early\\s+|mid-?\\s*)?((?:9|1[0-2])0'?s)\\b", N_NONE, "his her their"},
    {CS_PHI_AGE, 0, K_NONE, "(?i)\\b(?:super)?(?:nonagenarian|centenarian)s?\\b", N_NONE, "nonagenarian centenarian supercentenarian"},
    {CS_PHI_AGE, 1, K_NONE, "(?i)\\b(?:age[d:]?|aged)\\s*(9\\d|1[0-2]\\d)\\b", N_NONE, "age aged"},
    /* --- geography */
    {CS_PHI_LOCATION, 1, K_NONE, "\\b" STATES "\\.?,?\\s+(\\d{5}(?:-\\d{4})?)\\b", N_DIGITS5, NULL},
    {CS_PHI_LOCATION, 1, K_NONE, "(?i)\\b(?:zip|zip code|postal code|zipcode)\\s*[:#]?\\s*(\\d{5}(?:-\\d{4})?)\\b", N_NONE, "zip postal zipcode"},
    {CS_PHI_LOCATION, 1, K_NONE, "\\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}),\\s*" STATES "\\b(?![a-z])", N_NONE, NULL},
    /* street addresses; in lower case ("lives at 12 oak street") only whole
     * street words or an abbreviation with its dot, so "100 bpm st" stays
     * (one pattern: one scan of the text's numbers) */
    {CS_PHI_LOCATION, 0, K_NONE,
     "(?<![\\w@:.])(?:\\d{2,6}\\s+(?:[NSEW]\\.?\\s+)?(?:(?!" ADDR_STOP ")[A-Z0-9][A-Za-z0-9'-]*\\s+){0,3}(?!" ADDR_STOP ")[A-Z][A-Za-z'-]*\\s+"
     "(?i:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|terrace|ter|"
     "circle|cir|parkway|pkwy|highway|hwy|square|sq|trail|trl|pike|alley)\\b\\.?"
     "|\\d{1,6}\\s+(?:[nsew]\\.?\\s+)?(?:(?!" ADDR_STOP ")[a-z][a-z'-]*\\s+){1,3}"
     "(?:street|avenue|road|boulevard|drive|lane|court|terrace|parkway|highway|(?:st|ave|rd|blvd|ln)\\.))"
     "(?:,?\\s*(?i:apt|apartment|suite|ste|unit|#)\\.?\\s*#?\\w+)?", N_NONE, NULL},
    {CS_PHI_LOCATION, 0, K_NONE, "(?i)\\bP\\.?\\s*O\\.?\\s*Box\\s+\\d+", N_NONE, "p po"},
    /* --- facilities */
    {CS_PHI_FACILITY, 0, K_FACILITY,
     "\\b(?:(?:St|Mt|Saint|Mount|ST|MT)\\.?\\s+)?(?:[A-Z](?:[A-Za-z'&-]|\\xe2\\x80\\x99)*\\s+(?:(?:and|of|&|AND|OF)\\s+)?){1,4}"
     "(?:(?i:hospital|hosp\\b\\.?|medical cent(?:er|re)|med\\.? cent(?:er|re)|health cent(?:er|re)|clinic|infirmary|"
     "health system|healthcare|health care|rehab(?:ilitation)? (?:cent(?:er|re)|hospital)|nursing home|"
     "memorial|institute|cancer cent(?:er|re)|children's hospital|medical group|health(?= system| network)|"
     "nursing (?:center|facility)|hospice|va medical center|med\\.? ctr\\.?)\\b|General\\b|Med\\b(?!\\.? (?:rec|list|pass|change|admin|student|team)))"
     "(?:,\\s+[A-Z][a-z]+(?:\\s+[A-Z][a-z]+)?(?=[,.?;:]))?", N_NONE, NULL},
    {CS_PHI_FACILITY, 0, K_NONE, "\\b(?:St|Mt|Saint|Mount)\\.?\\s+[A-Z][a-z]+(?:(?:'|\\xe2\\x80\\x99)s)?(?:\\s+(?:Hospital|Medical Center|Clinic))?\\b", N_NONE, "st mt saint mount"},
};

static const size_t n_specs = sizeof specs / sizeof *specs;

/* ------------------------------------------------------------ triggers */

static size_t trig_hash(const char *w, size_t n)
{
    size_t h = 5381;
    for (size_t i = 0; i < n; i++) h = h * 33 + (unsigned char)(w[i] | 32);
    return h;
}

static int trig_build(cs_redactor *r)
{
    cs_trig *t = &r->trig;
    size_t size = 1024; /* about 300 trigger words: a quarter full, short probes */
    t->words = calloc(size, sizeof *t->words);
    t->masks = calloc(size, sizeof *t->masks);
    if (!t->words || !t->masks) return CS_ERR_NOMEM;
    t->mask = size - 1;
    for (size_t i = 0; i < n_specs && i < 64; i++) {
        const char *w = specs[i].trigger;
        if (!w) continue;
        if (!strcmp(w, "@")) { r->at_email |= 1ull << i; continue; }
        r->triggered |= 1ull << i;
        while (*w) {
            size_t n = strcspn(w, " ");
            if (n && n < sizeof *t->words && *w != '+') { /* "+d": see specs */
                size_t h = trig_hash(w, n) & t->mask;
                while (t->words[h][0] && !(strlen(t->words[h]) == n && !memcmp(t->words[h], w, n)))
                    h = (h + 1) & t->mask;
                memcpy(t->words[h], w, n);
                t->words[h][n] = 0;
                t->masks[h] |= 1ull << i;
            }
            w += n;
            while (*w == ' ') w++;
        }
    }
    return CS_OK;
}

static uint64_t trig_lookup(const cs_trig *t, const char *w, size_t n)
{
    if (n == 0 || n >= sizeof *t->words) return 0;
    size_t h = trig_hash(w, n) & t->mask;
    while (t->words[h][0]) {
        if (strlen(t->words[h]) == n) {
            size_t k = 0;
            while (k < n && (char)(w[k] | 32) == t->words[h][k]) k++;
            if (k == n) return t->masks[h];
        }
        h = (h + 1) & t->mask;
    }
    return 0;
}

int cs_patterns_compile(cs_redactor *r)
{
    r->patterns = calloc(n_specs, sizeof *r->patterns);
    if (!r->patterns) return CS_ERR_NOMEM;
    r->mctx = pcre2_match_context_create(NULL);
    if (!r->mctx) return CS_ERR_NOMEM;
    /* Generous for real text, small enough that catastrophic backtracking
     * stops in milliseconds. */
    pcre2_set_match_limit(r->mctx, 200000);
    pcre2_set_depth_limit(r->mctx, 2000);
    uint32_t has_jit = 0;
    pcre2_config(PCRE2_CONFIG_JIT, &has_jit);
    /* JIT code reads ahead in ways memcheck reports as errors; the valgrind
     * test (tests/cli/valgrind.sh) sets CLINSUM_NO_JIT to check the rest. */
    if (getenv("CLINSUM_NO_JIT")) has_jit = 0;
    for (size_t i = 0; i < n_specs; i++) {
        int err;
        PCRE2_SIZE eoff;
        pcre2_code *c = pcre2_compile((PCRE2_SPTR)specs[i].re, PCRE2_ZERO_TERMINATED, 0, &err, &eoff, NULL);
        if (!c) return CS_ERR_INVALID; /* a bug in the table above; tests catch it */
        if (has_jit) pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* falls back to interpreting on failure */
        r->patterns[i] = (cs_pattern){c, specs[i].cat, specs[i].group, specs[i].kind, specs[i].need};
        r->n_patterns++;
    }
    return trig_build(r);
}

void cs_patterns_free(cs_redactor *r)
{
    for (size_t i = 0; i < r->n_patterns; i++) pcre2_code_free(r->patterns[i].code);
    free(r->patterns);
    r->patterns = NULL;
    r->n_patterns = 0;
    pcre2_match_context_free(r->mctx);
    r->mctx = NULL;
    free(r->trig.words);
    free(r->trig.masks);
    r->trig.words = NULL;
    r->trig.masks = NULL;
}

/* ------------------------------------------------------------ post-checks */

static int numdate_ok(const char *s, size_t n)
{
    long p[3] = {0, 0, 0};
    int k = 0, digits = 0;
    for (size_t i = 0; i < n && k < 3; i++) {
        if (s[i] >= '0' && s[i] <= '9') { p[k] = p[k] * 10 + (s[i] - '0'); digits++; }
        else { if (!digits) return 0; k++; digits = 0; }
    }
    int parts = k + 1;
    if (parts == 2) {
        long a = p[0], b = p[1];
        if (a < 1 || a > 12) return 0;
        /* m/d, or m/yy (b > 31), or m/yyyy; common fractions ("1/2",
         * "3/4") are decided by numdate_context_ok() */
        if (b == 0) return 0;
        return 1;
    }
    long a = p[0], b = p[1];
    /* m/d/y or d/m/y: one of the first two is a month, both are days */
    if (a < 1 || b < 1 || a > 31 || b > 31) return 0;
    if (a > 12 && b > 12) return 0;
    return 1;
}

/* Ventilator settings ("CPAP 5/5", "PSV 10/5 PEEP"), pain scores ("8/10
 * pain") and ratios are written like m/d dates; the words around tell. */
static const char *const numdate_before[] = {
    "cpap", "psv", "ps", "peep", "imv", "simv", "ac", "settings", "setting", "flowby", "vent",
    "bipap", "trial", "ps/peep", "cpap/ps", "cpap/psv", "ratio", "strength", "pain", "scale",
    "rated", "rates", "fio2", "x", "of", "tv", "ie", "i:e", "rr", "bi-pap", "co/ci", NULL};
static const char *const numdate_after[] = {
    "peep", "ps", "psv", "cpap", "pain", "scale", "ratio", "strength", "%", "cm", "mm", "mg",
    "ml", "cc", "units", "l", "lpm", "breaths", "bpm", "bipap", "imv", "simv", "ac", "fio2", NULL};

static int word_before(const char *t, size_t s, const char **w, size_t *n)
{
    size_t e = s;
    while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == ':' || t[e - 1] == '=' || t[e - 1] == ',' || t[e - 1] == '(')) e--;
    size_t b = e;
    while (b > 0 && b + 12 > e && t[b - 1] != ' ' && t[b - 1] != '\n' && t[b - 1] != '\t' && t[b - 1] != '(') b--;
    *w = t + b;
    *n = e - b;
    return e > b;
}

static int word_after(const char *t, size_t len, size_t e, const char **w, size_t *n)
{
    size_t b = e;
    while (b < len && (t[b] == ' ' || t[b] == '\t')) b++;
    size_t z = b;
    if (z < len && t[z] == '%') z++;
    else while (z < len && z < b + 12 && ((t[z] | 32) >= 'a' && (t[z] | 32) <= 'z')) z++;
    *w = t + b;
    *n = z - b;
    return z > b;
}

static int in_words(const char *w, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++) if (lower_eq(w, n, list[i])) return 1;
    return 0;
}

/* "8/9 or 8/10", "8/2 - 8/10": a second date right after a first one. */
static int after_date(const char *t, size_t s)
{
    size_t b = s;
    while (b > 0 && t[b - 1] == ' ') b--;
    if (b >= 1 && t[b - 1] == '-') b--;
    else if (b >= 2 && lower_eq(t + b - 2, 2, "or")) b -= 2;
    else if (b >= 3 && lower_eq(t + b - 3, 3, "and")) b -= 3;
    else if (b >= 2 && lower_eq(t + b - 2, 2, "to")) b -= 2;
    else return 0;
    while (b > 0 && t[b - 1] == ' ') b--;
    size_t e = b, digits = 0, slash = 0;
    while (b > 0 && e - b < 10 && ((t[b - 1] >= '0' && t[b - 1] <= '9') || t[b - 1] == '/')) {
        b--;
        digits += t[b] != '/';
        slash += t[b] == '/';
    }
    if (!(slash >= 1 && digits >= 2 && e > b && !(b > 0 && t[b - 1] == '/'))) return 0;
    return !(e - b >= 3 && t[e - 3] == '/' && t[e - 2] == '1' && t[e - 1] == '0'); /* "4/10 to 8/10": scores */
}

/* The decimal number at the start of [p, end) (0 if none); never reads past end. */
static long num_at(const char *p, const char *end)
{
    long v = 0;
    for (; p < end && *p >= '0' && *p <= '9' && v < 100000; p++) v = v * 10 + (*p - '0');
    return v;
}

static int numdate_context_ok(const char *t, size_t len, size_t s, size_t e)
{
    const char *w;
    size_t n;
    /* "5/5" and "x/10" are settings and pain scores far more often than
     * dates, unless a date word precedes them. */
    const char *sl = memchr(t + s, '/', e - s);
    if (sl && !memchr(sl + 1, '/', (size_t)(t + e - sl - 1))) {
        long a = num_at(t + s, sl), b = num_at(sl + 1, t + e); /* bounded: t is not NUL-terminated */
        if (a == b) return 0; /* "CPAP 5/5", "on 10/10" pressures */
        /* Common fractions ("1/2 tab", "3/4 strength") and scores out of
         * ten are dates only after a word that introduces a date ("seen
         * on 3/4", "stopped 4/10") or right after another date. */
        int fraction = (a == 1 && (b == 2 || b == 3 || b == 4)) || (a == 2 && b == 3) || (a == 3 && b == 4);
        if (fraction || (b == 10 && a <= 10)) {
            static const char *const date_words[] = {
                "on", "since", "from", "until", "till", "by", "dated", "date", "started", "stopped",
                "restarted", "discontinued", "admitted", "discharged", "born", NULL};
            int dated = (word_before(t, s, &w, &n) && in_words(w, n, date_words)) || after_date(t, s);
            /* "of" introduces "8/10 of the time" as readily as a date */
            if (!dated && b == 10 && !fraction && word_before(t, s, &w, &n) && lower_eq(w, n, "of")) dated = 1;
            if (!dated) return 0;
        }
    }
    if (word_before(t, s, &w, &n) && in_words(w, n, numdate_before)) {
        /* "PICC in R AC 11/17": after a side, AC is the antecubital fossa */
        const char *w2;
        size_t n2;
        if (!(lower_eq(w, n, "ac") && word_before(t, (size_t)(w - t), &w2, &n2) &&
              (lower_eq(w2, n2, "r") || lower_eq(w2, n2, "l") || lower_eq(w2, n2, "left") || lower_eq(w2, n2, "right"))))
            return 0;
    }
    if (word_after(t, len, e, &w, &n) && in_words(w, n, numdate_after)) return 0;
    return 1;
}

static int month_ok(const char *s, size_t n)
{
    /* "may", "mar", "dec", "sept" read as words ("pt may 2", "dec 2 L")
     * unless Title Case ("May 2") or followed by a year. */
    size_t w = 0;
    while (w < n && ((s[w] | 32) >= 'a' && (s[w] | 32) <= 'z')) w++;
    size_t off = 0;
    if (w == 0) { /* day first: find the month word */
        while (off < n && !((s[off] | 32) >= 'a' && (s[off] | 32) <= 'z')) off++;
        while (off < n && (s[off] == 's' || s[off] == 't' || s[off] == 'n' || s[off] == 'd' || s[off] == 'r' || s[off] == 'h')) off++;
        while (off < n && !((s[off] | 32) >= 'a' && (s[off] | 32) <= 'z')) off++;
        if (off + 2 < n && lower_eq(s + off, 2, "of")) { off += 2; while (off < n && s[off] == ' ') off++; }
        w = off;
        while (w < n && ((s[w] | 32) >= 'a' && (s[w] | 32) <= 'z')) w++;
        w -= off;
    }
    const char *m = s + off;
    if (lower_eq(m, w, "may") || lower_eq(m, w, "mar") || lower_eq(m, w, "dec") || lower_eq(m, w, "march")) {
        int year = 0;
        for (size_t i = off + w; i + 3 < n; i++)
            if (s[i] >= '0' && s[i] <= '9' && s[i + 1] >= '0' && s[i + 1] <= '9' && s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] >= '0' && s[i + 3] <= '9') year = 1;
        int title = m[0] >= 'A' && m[0] <= 'Z' && w > 1 && m[1] >= 'a' && m[1] <= 'z';
        return year || title;
    }
    return 1;
}

/* Terminology codes printed beside their system ("Pneumonia (233604007
 * SNOMED CT)", "ICD-10 code 1234567") name a concept, not a person: a
 * code-system word within a few words before or after the number. */
static int terminology_code(const char *t, size_t len, size_t s, size_t e)
{
    static const char *const systems[] = {"snomed", "sct", "loinc", "icd", "cpt", "rxnorm", "rxcui", "ndc",
                                          "hcpcs", "cvx", "umls", "cui", "mesh", NULL};
    size_t b = s > 24 ? s - 24 : 0, z = e + 24 < len ? e + 24 : len;
    for (size_t i = b; i < z; i++) {
        if (i >= s && i < e) { i = e - 1; continue; }
        if (!((t[i] | 32) >= 'a' && (t[i] | 32) <= 'z') || (i > 0 && ((t[i - 1] | 32) >= 'a' && (t[i - 1] | 32) <= 'z'))) continue;
        size_t j = i;
        while (j < z && ((t[j] | 32) >= 'a' && (t[j] | 32) <= 'z')) j++;
        if (in_words(t + i, j - i, systems)) return 1;
        i = j - 1;
    }
    return 0;
}

/* Does the line holding position s start a past history before s ("PMH:",
 * "PMHX", "Past medical history", "HX OF")? */
static int history_line(const char *t, size_t s)
{
    size_t b = s;
    while (b > 0 && t[b - 1] != '\n' && s - b < 400) b--;
    for (size_t i = b; i + 3 <= s; i++) {
        if (i > b && ((t[i - 1] | 32) >= 'a' && (t[i - 1] | 32) <= 'z')) continue;
        if (lower_eq(t + i, 3, "pmh") || (i + 12 <= s && lower_eq(t + i, 12, "past medical"))) return 1;
    }
    return 0;
}

static int has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) if (s[i] >= '0' && s[i] <= '9') return 1;
    return 0;
}

static const char *const facility_stop[] = {
    "the", "a", "an", "to", "at", "from", "in", "of", "and", "her", "his", "their", "our",
    "this", "that", "same", "outside", "other", "another", "local", "any", "which", "was",
    "is", "for", "with", "by", "on", "pt", "patient", "transferred", "admitted", "went",
    "sent", "home", "area", "community", "state", "county", "city", "university",
    "private", "psychiatric", "rehab", "teaching", "va", "osh", "ed", "er", "icu", "micu", "ccu",
    "sicu", "csru", "floor", "unit", "ward", "team", "mental", "day", "public", "acute", "chronic",
    "long", "term", "primary", "care", "nursing", NULL};

static int is_facility_stop(const char *s, size_t n)
{
    for (size_t i = 0; facility_stop[i]; i++) if (lower_eq(s, n, facility_stop[i])) return 1;
    return 0;
}

/* Words that end a sentence's run-up to a facility's name wherever they
 * stand ("YO MALE TRANSFERRED FROM MEMORIAL"); "of", "and" and the
 * adjectives above may be inside a name ("Penn State", "County General"). */
static const char *const facility_cut[] = {"to", "at", "from", "in", "was", "is", "for", "with", "by", "on", "via",
                                           "pt", "patient", "transferred", "transfered", "admitted", "sent", "went", NULL};

/* Trim leading stop words from a facility match; the start moves, the end
 * stays.  Returns 0 when nothing but stop words precede the suffix. */
static int facility_trim(const char *text, size_t *start, size_t end)
{
    size_t s = *start, last = end; /* last: the suffix word's start */
    while (last > s && text[last - 1] != ' ' && text[last - 1] != '\n' && text[last - 1] != '\t') last--;
    for (size_t w = s; w < last;) {
        size_t e = w;
        while (e < last && text[e] != ' ' && text[e] != '\n' && text[e] != '\t') e++;
        for (size_t i = 0; facility_cut[i]; i++)
            if (lower_eq(text + w, e - w, facility_cut[i])) s = e;
        w = e;
        while (w < last && (text[w] == ' ' || text[w] == '\n' || text[w] == '\t')) w++;
    }
    while (s < end && (text[s] == ' ' || text[s] == '\n' || text[s] == '\t')) s++;
    if (s == last && s > *start && (lower_eq(text + s, end - s, "memorial") || lower_eq(text + s, end - s, "general"))) {
        *start = s; /* "transferred from Memorial": the name alone */
        return 1;
    }
    int words = 0;
    for (;;) {
        size_t e = s;
        while (e < end && text[e] != ' ' && text[e] != '\n' && text[e] != '\t') e++;
        size_t wl = e;
        while (wl > s && (text[wl - 1] == '.' || text[wl - 1] == ',')) wl--;
        if (e >= end) break; /* the suffix word itself */
        if (!is_facility_stop(text + s, wl - s)) { words++; break; }
        s = e;
        while (s < end && (text[s] == ' ' || text[s] == '\n' || text[s] == '\t')) s++;
    }
    *start = s;
    return words > 0;
}

static int text_features(const char *t, size_t n)
{
    int f = 0, colons = 0;
    size_t digits = 0, alnum = 0, dots = 0;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        int d = c >= '0' && c <= '9', an = d || ((c | 32) >= 'a' && (c | 32) <= 'z');
        digits = d ? digits + 1 : 0;
        alnum = an ? alnum + 1 : 0;
        if (digits >= 5) f |= N_DIGITS5;
        if (digits == 4 && ((t[i - 3] == '1' && t[i - 2] == '9') || (t[i - 3] == '2' && t[i - 2] == '0'))) f |= N_YEAR4;
        if (c == '\'' && ((i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9') || (i + 1 < n && t[i + 1] >= '0' && t[i + 1] <= '9')))
            f |= N_APOS;
        if ((c | 32) == 'p' && i + 2 < n && (((t[i + 1] | 32) == 'm' && (t[i + 2] | 32) == 'h') ||
                                             (i + 11 < n && lower_eq(t + i, 12, "past medical"))))
            f |= N_PMH;
        if (alnum >= 17) f |= N_RUN17;
        if (c == '.' && i > 0 && i + 1 < n && t[i - 1] >= '0' && t[i - 1] <= '9' && t[i + 1] >= '0' && t[i + 1] <= '9') {
            if (++dots >= 2) f |= N_DOTTED;
        } else if (!d) {
            dots = 0;
        }
        if (c == '@') f |= N_AT;
        else if (c == ':') {
            colons++;
            if (i + 2 < n && t[i + 1] == '/' && t[i + 2] == '/') f |= N_URL;
        } else if (c >= '0' && c <= '9' && i + 2 < n) {
            char a = (char)(t[i + 1] | 32), b = (char)(t[i + 2] | 32);
            if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') || (a == 't' && b == 'h'))
                f |= N_ORDINAL;
        } else if ((c | 32) == 'w' && i + 3 < n && (t[i + 1] | 32) == 'w' && (t[i + 2] | 32) == 'w' && t[i + 3] == '.') {
            f |= N_URL;
        }
    }
    if (colons >= 7) f |= N_COLONS;
    return f;
}

/* "AWAKENS AND ORIENTED TO SELF AND HOSPITAL" is no name: in text written
 * all in one case, a facility needs one word that is no English word. */
static int facility_named(const cs_redactor *r, const char *t, size_t s, size_t e)
{
    int up = 0, lo = 0, unknown = 0;
    for (size_t i = s; i < e; i++) {
        up |= t[i] >= 'A' && t[i] <= 'Z';
        lo |= t[i] >= 'a' && t[i] <= 'z';
    }
    for (size_t i = s; i < e;) {
        while (i < e && !((t[i] | 32) >= 'a' && (t[i] | 32) <= 'z')) i++;
        size_t j = i;
        while (j < e && (((t[j] | 32) >= 'a' && (t[j] | 32) <= 'z') || t[j] == '\'')) j++;
        if (j > i && !(cs_dict_lookup(&r->dict, t + i, j - i) & (CS_W_COMMON | CS_W_MEDICAL))) unknown = 1;
        i = j;
    }
    /* Title Case ("Holy Cross Hospital") names itself; one case needs a name word */
    int title = 0;
    for (size_t i = s; i + 1 < e; i++)
        if (t[i] >= 'A' && t[i] <= 'Z' && t[i + 1] >= 'a' && t[i + 1] <= 'z' && (i == s || t[i - 1] == ' ')) title = 1;
    return unknown || (title && up && lo);
}

/* Run pattern p once at `off` (anchored or scanning); on a match, apply
 * its post-check and record the span if it passes.  *next is where to look
 * next; returns 1 on a match (kept or not), 0 on none, or a negative cs_err. */
static int match_once(const cs_redactor *r, const cs_pattern *p, const char *text, size_t len, size_t off,
                      uint32_t opts, pcre2_match_data *md, cs_span_list *out, size_t *next)
{
    int m = pcre2_match(p->code, (PCRE2_SPTR)text, len, off, opts, md, r->mctx);
    if (m == PCRE2_ERROR_NOMATCH) return 0;
    if (m < 0) return m == PCRE2_ERROR_NOMEMORY ? CS_ERR_NOMEM : CS_ERR_LIMIT;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    size_t ms = ov[0], me = ov[1];
    size_t s = ms, e = me;
    if (p->group && p->group < m && ov[2 * p->group] != PCRE2_UNSET) {
        s = ov[2 * p->group];
        e = ov[2 * p->group + 1];
    } else if (p->group) {
        s = e = 0;
    }
    int ok = e > s;
    switch (p->kind) {
    case K_NUMDATE: ok = ok && numdate_ok(text + s, e - s) && numdate_context_ok(text, len, s, e); break;
    case K_MONTH: ok = ok && month_ok(text + s, e - s); break;
    case K_BAREMONTH:
        ok = ok && !(text[s] == 'm' && lower_eq(text + s, e - s, "march")) &&
             !(text[s] == 'a' && lower_eq(text + s, e - s, "august"));
        break;
    case K_NOTCODE: ok = ok && !terminology_code(text, len, s, e); break;
    case K_URL:
        while (e > s && strchr(".,;:)]}!?", text[e - 1])) e--;
        break;
    case K_DIGIT: ok = ok && has_digit(text + s, e - s); break;
    case K_PHONE_LBL: {
        int d = 0;
        for (size_t k = s; k < e; k++) d += text[k] >= '0' && text[k] <= '9';
        ok = ok && d >= 4;
        while (e > s && (text[e - 1] == ' ' || text[e - 1] == '-' || text[e - 1] == '.')) e--;
        break;
    }
    case K_PMH: ok = ok && history_line(text, s); break;
    case K_FACILITY: ok = ok && facility_trim(text, &s, e) && facility_named(r, text, s, e); break;
    default: break;
    }
    if (ok) {
        int rc = cs_spans_add(out, s, e, p->category, CS_SRC_PATTERN, CS_ROLE_UNKNOWN);
        if (rc != CS_OK) return rc;
    }
    /* After a rejected match try again one byte on: "pacemaker serial
     * number X" must not hide "serial number X". */
    *next = ok && me > ms ? me : ms + 1;
    return 1;
}

static int is_alpha(char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static int is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

/* Does a word start a facility suffix ("Hospital", "Clinic", "Med Ctr")? */
static int facility_word(const char *w, size_t n)
{
    static const char *const pre[] = {"hosp", "clinic", "cent", "ctr", "infirm", "health", "memorial",
                                      "institut", "general", "med", "nursing", "rehab", NULL};
    if (n < 3 || !strchr("hcimgnr", w[0] | 32)) return 0;
    for (size_t i = 0; pre[i]; i++) {
        if ((w[0] | 32) != pre[i][0]) continue;
        size_t m = strlen(pre[i]);
        if (n >= m) {
            size_t k = 0;
            while (k < m && (char)(w[k] | 32) == pre[i][k]) k++;
            if (k == m) return 1;
        }
    }
    return 0;
}

/* The character a pattern needs after its trigger word (specs[].after). */
static int after_ok(const char *t, size_t len, size_t j, const char *trigger)
{
    if (trigger[0] != '+') return 1;
    char after = trigger[1];
    while (j < len && (t[j] == ' ' || t[j] == '\t' || t[j] == '-')) j++; /* "mid-May" */
    if (j >= len) return 0;
    return after == 'd' ? t[j] >= '0' && t[j] <= '9' : (t[j] | 32) == after;
}

int cs_patterns_find(const cs_redactor *r, const char *text, size_t len, cs_span_list *out)
{
    int rc = CS_OK;
    int features = text_features(text, len);
    int facility = 0;
    pcre2_match_data *md = pcre2_match_data_create(16, NULL); /* every pattern has < 16 groups */
    if (!md) return CS_ERR_NOMEM;
    /* Anchored patterns at their trigger words, and the facility check. */
    for (size_t i = 0; i < len && rc >= 0; i++) {
        if (!is_alpha(text[i]) || (i > 0 && is_alnum(text[i - 1]))) continue;
        size_t j = i;
        while (j < len && is_alpha(text[j])) j++;
        facility |= facility_word(text + i, j - i);
        rc = cs_places_word(r, text, len, i, j, out);
        uint64_t m = trig_lookup(&r->trig, text + i, j - i);
        for (size_t b = 0; m && rc >= 0; b++, m >>= 1) {
            size_t next;
            const cs_pattern *p = &r->patterns[b];
            if ((m & 1) && (p->need & features) == p->need && after_ok(text, len, j, specs[b].trigger))
                rc = match_once(r, p, text, len, i, PCRE2_ANCHORED, md, out, &next);
        }
        i = j - 1;
    }
    /* E-mail patterns at each local part before an '@'. */
    for (const char *at = memchr(text, '@', len); at && rc >= 0; at = memchr(at + 1, '@', len - (size_t)(at + 1 - text))) {
        size_t s = (size_t)(at - text);
        while (s > 0 && (is_alnum(text[s - 1]) || strchr("._%+-", text[s - 1])) && (size_t)(at - text) - s < 64) s--;
        for (size_t b = 0; b < r->n_patterns && rc >= 0; b++) {
            size_t next;
            if (r->at_email & (1ull << b))
                rc = match_once(r, &r->patterns[b], text, len, s, PCRE2_ANCHORED, md, out, &next);
        }
    }
    /* Every other pattern scans the whole text. */
    for (size_t i = 0; i < r->n_patterns && rc >= 0; i++) {
        const cs_pattern *p = &r->patterns[i];
        if (((r->triggered | r->at_email) >> i) & 1) continue;
        if ((p->need & features) != p->need) continue;
        if (p->kind == K_FACILITY && !facility) continue;
        size_t off = 0;
        while (off <= len && rc >= 0) {
            rc = match_once(r, p, text, len, off, 0, md, out, &off);
            if (rc == 0) break;
        }
    }
    pcre2_match_data_free(md);
    return rc < 0 ? rc : CS_OK;
}
