/* Command-line words: "name=value" and bare flags, as Linux parses them. */
#include <mk64/cmdline.h>
#include <mk64/string.h>

/* Calls back for each word; stops early when fn returns true. */
static bool for_each_word(const char *s, bool (*fn)(const char *w, size_t n, void *arg),
			  void *arg)
{
	while (*s) {
		size_t n = 0;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n')
			n++;
		if (n && fn(s, n, arg))
			return true;
		s += n;
	}
	return false;
}

struct lookup {
	const char *name;
	size_t len;
	const char *value;
	size_t value_len;
	bool bare;
};

static bool match_value(const char *w, size_t n, void *arg)
{
	struct lookup *l = arg;

	if (n > l->len && w[l->len] == '=' && !strncmp(w, l->name, l->len)) {
		l->value = w + l->len + 1;
		l->value_len = n - l->len - 1;
	}
	return false; /* the last occurrence wins, as in Linux */
}

static bool match_bare(const char *w, size_t n, void *arg)
{
	struct lookup *l = arg;

	return n == l->len && !strncmp(w, l->name, n);
}

bool cmdline_get(const char *cmdline, const char *name, char *val, size_t size)
{
	struct lookup l = { .name = name, .len = strlen(name) };
	size_t n;

	for_each_word(cmdline, match_value, &l);
	if (!l.value)
		return false;
	if (size) {
		n = l.value_len < size - 1 ? l.value_len : size - 1;
		memcpy(val, l.value, n);
		val[n] = '\0';
	}
	return true;
}

bool cmdline_has(const char *cmdline, const char *word)
{
	struct lookup l = { .name = word, .len = strlen(word) };

	return for_each_word(cmdline, match_bare, &l);
}

unsigned long long memparse(const char *s, char **end)
{
	char *rest;
	unsigned long long v = strtoull(s, &rest, 0);
	unsigned int shift = 0;

	switch (*rest) {
	case 'T': case 't': shift = 40; break;
	case 'G': case 'g': shift = 30; break;
	case 'M': case 'm': shift = 20; break;
	case 'K': case 'k': shift = 10; break;
	}
	if (shift)
		rest++;
	if (end)
		*end = rest;
	return v << shift;
}
