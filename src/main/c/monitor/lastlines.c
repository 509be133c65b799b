#include "lastlines.h"

#include <string.h>

#define MASKED "[masked: the line holds the value of a secret]"

/* Whether LINE (LEN bytes, not NUL-terminated) holds any of the masks. */
static int holds_secret(const struct lastlines *l, const char *line, size_t len)
{
    for (char **m = l->masks; m && *m; m++) {
        size_t n = strlen(*m);
        if (n > 0 && n <= len && memmem(line, len, *m, n) != NULL) {
            return 1;
        }
    }
    return 0;
}

/* The length of the valid UTF-8 sequence at P (at most LEFT bytes), 0 if there is none. */
static size_t utf8_length(const unsigned char *p, size_t left)
{
    size_t n;
    unsigned int min;
    if (p[0] == 0) {
        return 0; /* a NUL would end the line early */
    } else if (p[0] < 0x80) {
        return 1;
    } else if ((p[0] & 0xe0) == 0xc0) {
        n = 2, min = 0x80;
    } else if ((p[0] & 0xf0) == 0xe0) {
        n = 3, min = 0x800;
    } else if ((p[0] & 0xf8) == 0xf0) {
        n = 4, min = 0x10000;
    } else {
        return 0;
    }
    if (n > left) {
        return 0;
    }
    unsigned int c = p[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (p[i] & 0x3f);
    }
    /* overlong forms, surrogates and beyond U+10FFFF are not UTF-8 either */
    return c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff ? 0 : n;
}

void lastlines_add(struct lastlines *l, const char *line, size_t len)
{
    char *to = l->lines[l->next];
    if (holds_secret(l, line, len)) {
        /* the whole line, not only the part that is kept: a secret cut at the limit is still one */
        memcpy(to, MASKED, sizeof MASKED);
    } else {
        const unsigned char *p = (const unsigned char *)line;
        size_t out = 0;
        for (size_t i = 0; i < len && out < LASTLINES_BYTES;) {
            size_t n = utf8_length(p + i, len - i);
            if (n == 0) {
                to[out++] = '?';
                i++;
            } else if (out + n > LASTLINES_BYTES) {
                break; /* never half a character */
            } else {
                memcpy(to + out, p + i, n);
                out += n;
                i += n;
            }
        }
        to[out] = '\0';
    }
    l->next = (l->next + 1) % LASTLINES_COUNT;
    if (l->count < LASTLINES_COUNT) {
        l->count++;
    }
}

int lastlines_get(const struct lastlines *l, const char *out[LASTLINES_COUNT])
{
    int first = (l->next - l->count + LASTLINES_COUNT) % LASTLINES_COUNT;
    for (int i = 0; i < l->count; i++) {
        out[i] = l->lines[(first + i) % LASTLINES_COUNT];
    }
    return l->count;
}

void lastlines_clear(struct lastlines *l)
{
    l->next = 0;
    l->count = 0;
}
