/* printk's log ring: levels, time stamps, continuations, multi-line text. */
#include <mk64/ktest.h>
#include <mk64/printk.h>
#include <mk64/string.h>

static char tail[512];

/* The last n lines of the ring, NUL-terminated, in tail. */
static const char *last_lines(int n)
{
	size_t len = printk_log_tail(tail, sizeof(tail) - 1);
	size_t i = len;

	tail[len] = '\0';
	while (i > 0 && n >= 0)
		if (tail[--i] == '\n' && --n < 0)
			return tail + i + 1;
	return tail;
}

/* Skips the level digit and "[    s.micros] "; NULL when malformed. */
static const char *after_prefix(const char *line, int *level)
{
	if (line[0] < '0' || line[0] > '7' || line[1] != '[')
		return NULL;
	*level = line[0] - '0';
	line = strchr(line, ']');
	return line && line[1] == ' ' ? line + 2 : NULL;
}

static void level_and_stamp(struct ktest *t)
{
	int level = -1;
	const char *text;

	printk(KERN_ERR "ktest printk marker %d\n", 42);
	text = after_prefix(last_lines(1), &level);
	KTEST_ASSERT_TRUE(t, text != NULL);
	KTEST_EXPECT_EQ(t, level, 3);
	KTEST_EXPECT_STREQ(t, text, "ktest printk marker 42\n");
}

static void default_level(struct ktest *t)
{
	int level = -1;

	printk("no level given\n");
	KTEST_ASSERT_TRUE(t, after_prefix(last_lines(1), &level) != NULL);
	KTEST_EXPECT_EQ(t, level, LOGLEVEL_DEFAULT);
}

static void continuation(struct ktest *t)
{
	int level = -1;
	const char *text;

	printk(KERN_INFO "part one");
	pr_cont(", part two\n");
	text = after_prefix(last_lines(1), &level);
	KTEST_ASSERT_TRUE(t, text != NULL);
	KTEST_EXPECT_EQ(t, level, 6);
	KTEST_EXPECT_STREQ(t, text, "part one, part two\n");
}

static void every_line_stamped(struct ktest *t)
{
	int level = -1;
	const char *first, *second;

	printk(KERN_INFO "line a\nline b\n");
	first = last_lines(2);
	second = strchr(first, '\n') + 1;
	KTEST_ASSERT_TRUE(t, after_prefix(first, &level) != NULL);
	KTEST_ASSERT_TRUE(t, after_prefix(second, &level) != NULL);
	KTEST_EXPECT_STREQ(t, after_prefix(second, &level), "line b\n");
}

KTEST_SUITE(printk, KTEST_CASE(level_and_stamp), KTEST_CASE(default_level),
	    KTEST_CASE(continuation), KTEST_CASE(every_line_stamped));
