/*
 * Copies into kmalloc() memory (mk64/slab.h), as Linux's mm/util.c.
 */
#include <mk64/slab.h>
#include <mk64/string.h>

void *kmemdup(const void *src, size_t len, gfp_t flags)
{
	void *p = __kmalloc(len, flags);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

char *kstrndup(const char *s, size_t max, gfp_t flags)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	p = __kmalloc(len + 1, flags);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *kstrdup(const char *s, gfp_t flags)
{
	return s ? kmemdup(s, strlen(s) + 1, flags) : NULL;
}
