/* cs_audit_line.c: strict parsing of one audit-log line and of the seal. */
#include "cs_audit_line.h"

#include "cs_err.h"

#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int cs_audit_unhex(const char *hex, size_t hexlen, uint8_t *out, size_t n)
{
    if (hexlen != 2 * n) return -1;
    for (size_t i = 0; i < n; i++) {
        int v = 0;
        for (int j = 0; j < 2; j++) {
            char c = hex[2 * i + j];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else return -1; /* lowercase only: one spelling per digest */
            v = v * 16 + d;
        }
        out[i] = (uint8_t)v;
    }
    return 0;
}

size_t cs_audit_checkpoint_message(const uint8_t hash[32], char *out)
{
    size_t n = strlen(CS_AUDIT_CHECKPOINT_DOMAIN);
    memcpy(out, CS_AUDIT_CHECKPOINT_DOMAIN, n);
    cs_audit_hex(hash, 32, out + n);
    return n + 64;
}

size_t cs_audit_seal_message(uint64_t seq, const uint8_t hash[32], char *out)
{
    int n = snprintf(out, 64, "%s%llu:", CS_AUDIT_SEAL_DOMAIN, (unsigned long long)seq);
    cs_audit_hex(hash, 32, out + n);
    return (size_t)n + 64;
}

void cs_audit_format_utc(int64_t secs, int ms, char *out)
{
    /* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) { rem += 86400; days--; }
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int64_t y = yoe + era * 400 + (m <= 2);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)(y % 10000), m % 100, d % 100,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), ms % 1000);
}

static int get_hex(const cJSON *o, const char *key, uint8_t *out, size_t n)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v)) return -1;
    return cs_audit_unhex(v->valuestring, strlen(v->valuestring), out, n);
}

/* A non-negative integer that a double holds exactly. */
static int get_uint(const cJSON *o, const char *key, uint64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9007199254740992.0 ||
        v->valuedouble != (double)(uint64_t)v->valuedouble)
        return -1;
    *out = (uint64_t)v->valuedouble;
    return 0;
}

static int valid_time(const char *s)
{
    size_t n = strlen(s);
    if (n < 20 || n > 32) return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789-:.TZ", s[i])) return 0;
    return 1;
}

/* Every field value is an integer, a 64-hex digest, an enum or an origin:
 * the same rule the writer enforces, so a hand-edited line carrying text
 * fails here even with a recomputed hash. */
static int valid_fields(const cJSON *fields)
{
    if (!cJSON_IsObject(fields)) return 0;
    int n = 0;
    for (const cJSON *f = fields->child; f; f = f->next) {
        if (++n > CS_AUDIT_MAX_FIELDS || !cs_audit_valid_key(f->string)) return 0;
        if (cJSON_IsNumber(f)) {
            if (f->valuedouble != (double)(int64_t)f->valuedouble) return 0;
        } else if (cJSON_IsString(f)) {
            uint8_t h[32];
            const char *s = f->valuestring;
            if (cs_audit_unhex(s, strlen(s), h, 32) != 0 && !cs_audit_valid_enum(s) && !cs_audit_valid_origin(s))
                return 0;
        } else {
            return 0;
        }
    }
    return 1;
}

static cs_audit_type type_from_name(const char *s)
{
    for (int t = CS_AUDIT_DOCUMENT_OPENED; t <= CS_AUDIT_RECOVERED; t++)
        if (!strcmp(s, cs_audit_type_name((cs_audit_type)t))) return (cs_audit_type)t;
    return 0;
}

#define FAIL(reason) do { if (why) *why = reason; cJSON_Delete(o); return CS_ERR_INVALID; } while (0)

int cs_audit_line_parse(const char *line, size_t len, cs_audit_line *out, const char **why)
{
    memset(out, 0, sizeof *out);
    if (why) *why = NULL;
    if (len == 0 || len >= CS_AUDIT_LINE_MAX) { if (why) *why = "line is empty or too long"; return CS_ERR_INVALID; }
    /* The hashed prefix ends at the last `,"hash":"`; the rest is fixed. */
    static const char mark[] = ",\"hash\":\"";
    const size_t ml = sizeof mark - 1;
    size_t body = (size_t)-1;
    for (size_t i = len >= ml ? len - ml + 1 : 0; i-- > 0;)
        if (!memcmp(line + i, mark, ml)) { body = i; break; }
    if (body == (size_t)-1) { if (why) *why = "no hash"; return CS_ERR_INVALID; }
    size_t tail = len - body - ml;
    const char *t = line + body + ml;
    int sig = 0;
    if (tail == 64 + 2 && !memcmp(t + 64, "\"}", 2)) sig = 0;
    else if (tail == 64 + 9 + 128 + 2 && !memcmp(t + 64, "\",\"sig\":\"", 9) && !memcmp(t + 64 + 9 + 128, "\"}", 2)) sig = 1;
    else { if (why) *why = "unexpected content after the hash"; return CS_ERR_INVALID; }
    crypto_hash_sha256(out->actual, (const unsigned char *)line, body);

    cJSON *o = cJSON_ParseWithLength(line, len);
    if (!o || !cJSON_IsObject(o)) FAIL("not a JSON object");
    static const char *keys[] = {"v", "seq", "time", "actor", "type", "fields", "prev", "hash", "sig"};
    int nkeys = 0;
    for (const cJSON *c = o->child; c; c = c->next) {
        int known = 0;
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) known |= !strcmp(c->string, keys[k]);
        if (!known) FAIL("unknown member");
        nkeys++;
    }
    if (nkeys != 8 + sig) FAIL("missing or repeated member");
    uint64_t v;
    if (get_uint(o, "v", &v) || v != CS_AUDIT_FORMAT_VERSION) FAIL("unsupported format version");
    if (get_uint(o, "seq", &out->seq) || out->seq == 0) FAIL("bad seq");
    const cJSON *time = cJSON_GetObjectItemCaseSensitive(o, "time");
    if (!cJSON_IsString(time) || !valid_time(time->valuestring)) FAIL("bad time");
    const cJSON *actor = cJSON_GetObjectItemCaseSensitive(o, "actor");
    if (!cJSON_IsString(actor) || !cs_audit_valid_enum(actor->valuestring)) FAIL("bad actor");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
    if (!cJSON_IsString(type) || !(out->type = type_from_name(type->valuestring))) FAIL("unknown event type");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(o, "fields");
    if (!valid_fields(fields)) FAIL("a field is not a digest, integer or identifier");
    if (get_hex(o, "prev", out->prev, 32)) FAIL("bad prev");
    if (get_hex(o, "hash", out->hash, 32)) FAIL("bad hash");
    if ((out->type == CS_AUDIT_CHECKPOINT) != sig) FAIL("signature on a non-checkpoint or missing on a checkpoint");
    if (sig) {
        if (get_hex(o, "sig", out->sig, 64)) FAIL("bad sig");
        out->has_sig = 1;
        if (get_hex(fields, "key", out->key, 32) || get_uint(fields, "from", &out->from)) FAIL("bad checkpoint fields");
        out->has_key = 1;
    }
    if (out->type == CS_AUDIT_NETWORK) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(fields, "action");
        if (!cJSON_IsString(a)) FAIL("network event without action");
        out->network = !strcmp(a->valuestring, "blocked") ? 2 : 1;
    }
    cJSON_Delete(o);
    return CS_OK;
}

int cs_audit_seal_parse(const char *text, size_t len, cs_audit_seal *out)
{
    memset(out, 0, sizeof *out);
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r')) len--;
    if (len == 0 || len > 512) return CS_ERR_INVALID;
    cJSON *o = cJSON_ParseWithLength(text, len);
    uint64_t v;
    int ok = o && cJSON_IsObject(o) && !get_uint(o, "v", &v) && v == CS_AUDIT_FORMAT_VERSION &&
             !get_uint(o, "seq", &out->seq) && !get_hex(o, "hash", out->hash, 32) &&
             !get_hex(o, "key", out->key, 32) && !get_hex(o, "sig", out->sig, 64);
    cJSON_Delete(o);
    return ok ? CS_OK : CS_ERR_INVALID;
}

size_t cs_audit_seal_format(const cs_audit_seal *s, char *out)
{
    char h[65], k[65], g[129];
    cs_audit_hex(s->hash, 32, h);
    cs_audit_hex(s->key, 32, k);
    cs_audit_hex(s->sig, 64, g);
    return (size_t)snprintf(out, 512, "{\"v\":%d,\"seq\":%llu,\"hash\":\"%s\",\"key\":\"%s\",\"sig\":\"%s\"}\n",
                            CS_AUDIT_FORMAT_VERSION, (unsigned long long)s->seq, h, k, g);
}
