/* debug.c - slub_debug (CONFIG_SLUB_DEBUG): the slub_debug= boot option, red zones, poisoning
 * and user tracking, the object and slab checks that repair what they find, and the reports
 * those checks make. */
#include "slub_def.h"
#include "track.h"

/*
 * Every byte these functions touch inside a slab (red zones, poison, padding, tracks, free
 * pointers, and the object itself when it is dumped) may belong to nobody but the allocator at
 * that moment, and is poisoned for ASan then. So all of it is read and written through
 * track_meta_*, never directly.
 */

__slub_state int disable_higher_order_debug;
__slub_state unsigned long slub_debug; /* the slub_debug= flags; sysfs_slab_add reads them too */
/* The cache-name prefix after the ',' of slub_debug=; copied, since the option text may go. */
static __slub_state char slub_debug_slabs_text[256];
static __slub_state const char *slub_debug_slabs;

/* ---- reports ---- */

/*
 * The kernel prints a report as a run of printk lines. Here the lines from one slab_bug up to
 * the next slab_bug, or up to the return of the debug entry point that is running, are
 * gathered and handed to the report hook as one SLUB_REPORT_SLAB_ERR naming the cache; the
 * report path also copies the text into the dmesg ring. Lines printed while no report is open
 * (TRACE, list_slab_objects' tracking) are plain printk.
 */
#define DEBUG_REPORT_MAX 65536
static char report_text[DEBUG_REPORT_MAX];
static size_t report_len;
static int report_open, report_cut;
static const char *report_cache;
static __slub_state unsigned long debug_reports; /* reports made since boot */

/* The outermost debug entry point running, and where it was entered: the report's origin. */
static int debug_depth;
static const char *debug_entry_func, *debug_entry_file;
static int debug_entry_line;

static void report_flush(void)
{
	if (!report_open)
		return;
	report_open = 0;
	if (report_cut)
		slub_snprintf(report_text + DEBUG_REPORT_MAX - 32, 32, "\n... (report cut)");
	debug_reports++;
	slub_report(SLUB_REPORT_SLAB_ERR, debug_entry_file ? debug_entry_file : __FILE__,
		    debug_entry_line, debug_entry_func ? debug_entry_func : "slub_debug",
		    report_cache, "%s", report_text);
}

static void report_start(const char *cache)
{
	report_flush();
	report_open = 1;
	report_cut = 0;
	report_len = 0;
	report_text[0] = '\0';
	report_cache = cache;
}

void slub_debug_enter(const char *file, int line, const char *func)
{
	if (!debug_depth++) {
		debug_entry_file = file;
		debug_entry_line = line;
		debug_entry_func = func;
	}
}

void slub_debug_leave(void)
{
	if (debug_depth > 0 && !--debug_depth)
		report_flush();
}

#define DEBUG_ENTER() slub_debug_enter(__FILE__, __LINE__, __func__)
#define DEBUG_LEAVE() slub_debug_leave()

unsigned long slub_debug_nr_reports(void)
{
	return debug_reports;
}

/*
 * One line of output: into the open report, else to printk at the given level. Addresses are
 * printed with %p, which brings its own 0x where the kernel's text has 0x%p.
 */
static void __printf(2, 3) debug_line(const char *level, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	slub_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!report_open) {
		printk("%s%s\n", level, line);
		return;
	}
	n = slub_snprintf(report_text + report_len, DEBUG_REPORT_MAX - report_len, "%s\n", line);
	if (n < 0 || (size_t)n >= DEBUG_REPORT_MAX - report_len) {
		report_cut = 1;
		report_len = DEBUG_REPORT_MAX - 1;
	} else {
		report_len += (size_t)n;
	}
}

/*
 * Deliberate difference: there is no stack to dump in this model. The report names the debug
 * entry point that found the problem (file, line, function), and tracks name the callers.
 */
static void dump_stack(void)
{
}

/* Out of line: its address-taken byte would give every caller an ASan stack frame. */
static noinline u8 meta_byte(const u8 *p)
{
	u8 b;

	track_meta_read(&b, p, 1);
	return b;
}

static int is_graph(u8 c)
{
	return c > 0x20 && c < 0x7f;
}

/* Hex and ASCII, sixteen bytes a line, each line labelled with text and its address. */
static void print_section(const char *text, u8 *addr, unsigned int length)
{
	unsigned int i, n, k;

	for (i = 0; i < length; i += 16) {
		u8 chunk[16];
		char hex[16 * 3 + 1], ascii[17];

		n = min(16u, length - i);
		track_meta_read(chunk, addr + i, n);
		for (k = 0; k < 16; k++) {
			if (k < n) {
				slub_snprintf(hex + 3 * k, 4, " %02x", chunk[k]);
				ascii[k] = is_graph(chunk[k]) ? (char)chunk[k] : '.';
			} else {
				memcpy(hex + 3 * k, "   ", 4);
				ascii[k] = ' ';
			}
		}
		ascii[16] = '\0';
		debug_line(KERN_ERR, "%8s %p: %s %s", text, (void *)(addr + i), hex, ascii);
	}
}

/* ---- user tracking (SLAB_STORE_USER) ---- */

/* The two tracks sit after the free pointer if it is outside the object, else after inuse. */
struct track *get_track(struct kmem_cache *s, void *object, enum track_item alloc)
{
	char *p;

	if (s->offset)
		p = (char *)object + s->offset + sizeof(void *);
	else
		p = (char *)object + s->inuse;
	return (struct track *)(void *)(p + (size_t)alloc * sizeof(struct track));
}

static void set_track(struct kmem_cache *s, void *object, enum track_item alloc,
		      unsigned long addr)
{
	struct track t;

	memset(&t, 0, sizeof(t));
	if (addr) {
		t.addr = addr;
		t.cpu = smp_processor_id();
		t.pid = current_pid();
		t.when = jiffies;
	}
	track_meta_write(get_track(s, object, alloc), &t, sizeof(t));
}

void init_tracking(struct kmem_cache *s, void *object)
{
	if (!(s->flags & SLAB_STORE_USER))
		return;
	set_track(s, object, TRACK_FREE, 0UL);
	set_track(s, object, TRACK_ALLOC, 0UL);
}

/* Deliberate difference: the caller is printed as an address; there is no %pS symbolizer. */
static void print_track(const char *s, struct track *where)
{
	struct track t;

	track_meta_read(&t, where, sizeof(t));
	if (!t.addr)
		return;
	debug_line(KERN_ERR, "INFO: %s in 0x%lx age=%lu cpu=%u pid=%d", s, t.addr,
		   jiffies - t.when, (unsigned int)t.cpu, t.pid);
}

void print_tracking(struct kmem_cache *s, void *object)
{
	if (!(s->flags & SLAB_STORE_USER))
		return;
	print_track("Allocated", get_track(s, object, TRACK_ALLOC));
	print_track("Freed", get_track(s, object, TRACK_FREE));
}

/* ---- the pieces of a report ---- */

static void print_page_info(struct page *page)
{
	debug_line(KERN_ERR, "INFO: Slab %p objects=%u used=%u fp=%p flags=0x%04lx",
		   (void *)page, page->objects, page->inuse, page->freelist, page->flags);
}

/* Opens a report: the banner with "BUG <cache>: <what>". The text is cut at 99 bytes. */
static void __printf(2, 3) slab_bug(struct kmem_cache *s, const char *fmt, ...)
{
	char buf[100];
	va_list ap;

	va_start(ap, fmt);
	slub_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	report_start(s->name);
	debug_line(KERN_ERR, "========================================"
			     "=====================================");
	debug_line(KERN_ERR, "BUG %s: %s", s->name, buf);
	debug_line(KERN_ERR, "----------------------------------------"
			     "-------------------------------------");
	debug_line(KERN_ERR, "%s", "");
}

/* Says what was done so the system can go on; belongs to the report it follows. */
static void __printf(2, 3) slab_fix(struct kmem_cache *s, const char *fmt, ...)
{
	char buf[100];
	va_list ap;

	va_start(ap, fmt);
	slub_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	debug_line(KERN_ERR, "FIX %s: %s", s->name, buf);
}

/* The object, what precedes it, its red zone and its padding, with tracks and slab info. */
static void print_trailer(struct kmem_cache *s, struct page *page, u8 *p)
{
	u8 *addr = page_address(page);
	unsigned int off; /* where the tracks end */

	print_tracking(s, p);
	print_page_info(page);
	debug_line(KERN_ERR, "INFO: Object %p @offset=%tu fp=%p", (void *)p, p - addr,
		   get_freepointer(s, p));
	debug_line(KERN_ERR, "%s", "");

	if (p > addr + 16)
		print_section("Bytes b4", p - 16, 16);
	print_section("Object", p, (unsigned int)min((unsigned long)s->objsize, PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone", p + s->objsize, (unsigned int)(s->inuse - s->objsize));

	if (s->offset)
		off = (unsigned int)s->offset + sizeof(void *);
	else
		off = (unsigned int)s->inuse;
	if (s->flags & SLAB_STORE_USER)
		off += 2 * sizeof(struct track);
	if (off != (unsigned int)s->size)
		/* The free pointer starts the filler when it is outside the object. */
		print_section("Padding", p + off, (unsigned int)s->size - off);
	dump_stack();
}

static void object_err(struct kmem_cache *s, struct page *page, u8 *object, const char *reason)
{
	slab_bug(s, "%s", reason);
	print_trailer(s, page, object);
}

void slab_err(struct kmem_cache *s, struct page *page, const char *fmt, ...)
{
	char buf[100];
	va_list ap;

	DEBUG_ENTER();
	va_start(ap, fmt);
	slub_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	slab_bug(s, "%s", buf);
	print_page_info(page);
	dump_stack();
	DEBUG_LEAVE();
}

/* ---- poison and red zones ---- */

/*
 * Object layout with debugging (see calculate_sizes):
 *   [0, objsize)       the object; poisoned POISON_FREE ... POISON_END when __OBJECT_POISON
 *   [objsize, inuse)   red zone: SLUB_RED_ACTIVE while allocated, SLUB_RED_INACTIVE when free
 *   [inuse, ...)       free pointer (if it may not overlay the object), two tracks
 *   [..., size)        padding, POISON_INUSE
 * Merged caches mostly ignore objsize and inuse, which is why debugging caches never merge.
 */
void init_object(struct kmem_cache *s, void *object, int active)
{
	u8 *p = object;

	if (s->flags & __OBJECT_POISON) {
		u8 end = POISON_END;

		track_meta_set(p, POISON_FREE, (size_t)s->objsize - 1);
		track_meta_write(p + s->objsize - 1, &end, 1);
	}
	if (s->flags & SLAB_RED_ZONE)
		track_meta_set(p + s->objsize, active ? SLUB_RED_ACTIVE : SLUB_RED_INACTIVE,
			       (size_t)(s->inuse - s->objsize));
}

/* The first byte in [start, start + bytes) that is not value, or NULL. */
static u8 *check_bytes(u8 *start, unsigned int value, unsigned int bytes)
{
	size_t i = track_meta_scan(start, (int)value, bytes);

	return i < bytes ? start + i : NULL;
}

static void restore_bytes(struct kmem_cache *s, const char *message, u8 data, void *from,
			  void *to)
{
	(void)message;
	slab_fix(s, "Restoring %p-%p=0x%x", from, (void *)((u8 *)to - 1), data);
	track_meta_set(from, data, (size_t)((u8 *)to - (u8 *)from));
}

/* Reports the damaged span (first bad byte to last bad byte) and puts value back. */
static int check_bytes_and_report(struct kmem_cache *s, struct page *page, u8 *object,
				  const char *what, u8 *start, unsigned int value,
				  unsigned int bytes)
{
	u8 *fault, *end;

	fault = check_bytes(start, value, bytes);
	if (!fault)
		return 1;

	end = start + bytes;
	while (end > fault && meta_byte(end - 1) == (u8)value)
		end--;

	slab_bug(s, "%s overwritten", what);
	debug_line(KERN_ERR, "INFO: %p-%p. First byte 0x%x instead of 0x%x", (void *)fault,
		   (void *)(end - 1), meta_byte(fault), value);
	print_trailer(s, page, object);

	restore_bytes(s, what, (u8)value, fault, end);
	return 0;
}

/* The filler after the tracks (or after the free pointer) must still be POISON_INUSE. */
static int check_pad_bytes(struct kmem_cache *s, struct page *page, u8 *p)
{
	unsigned long off = (unsigned long)s->inuse;

	if (s->offset)
		off += sizeof(void *);
	if (s->flags & SLAB_STORE_USER)
		off += 2 * sizeof(struct track);
	if ((unsigned long)s->size == off)
		return 1;
	return check_bytes_and_report(s, page, p, "Object padding", p + off, POISON_INUSE,
				      (unsigned int)((unsigned long)s->size - off));
}

/* The bytes at the end of a slab that hold no object must still be POISON_INUSE. */
int slab_pad_check(struct kmem_cache *s, struct page *page)
{
	u8 *start, *fault, *end;
	int length, remainder;

	if (!(s->flags & SLAB_POISON))
		return 1;

	start = page_address(page);
	length = (int)(PAGE_SIZE << compound_order(page));
	end = start + length;
	remainder = length % s->size;
	if (!remainder)
		return 1;

	fault = check_bytes(end - remainder, POISON_INUSE, (unsigned int)remainder);
	if (!fault)
		return 1;
	while (end > fault && meta_byte(end - 1) == POISON_INUSE)
		end--;

	DEBUG_ENTER();
	slab_err(s, page, "Padding overwritten. %p-%p", (void *)fault, (void *)(end - 1));
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_PAD_RESTORE_RANGE)
	/*
	 * Correction: 2.6.36 printed and restored from end - remainder after end had moved
	 * back to the last overwritten byte, so a padding write short of the slab's last byte
	 * made the FIX write POISON_INUSE over the tail of the last object (its red zone, free
	 * pointer, tracking, or its data while allocated). Upstream "mm/slub.c: Fix wrong address
	 * during slab padding restoration" (v4.16) prints the padding and restores fault..end.
	 */
	print_section("Padding", start + length - remainder, (unsigned int)remainder);
	restore_bytes(s, "slab padding", POISON_INUSE, fault, end);
#else
	print_section("Padding", end - remainder, (unsigned int)remainder);
	restore_bytes(s, "slab padding", POISON_INUSE, end - remainder, end);
#endif
	DEBUG_LEAVE();
	return 0;
}

/* ---- object and slab checks ---- */

static int __check_object(struct kmem_cache *s, struct page *page, void *object, int active)
{
	u8 *p = object;
	u8 *endobject = p + s->objsize;

	if (s->flags & SLAB_RED_ZONE) {
		unsigned int red = active ? SLUB_RED_ACTIVE : SLUB_RED_INACTIVE;

		if (!check_bytes_and_report(s, page, object, "Redzone", endobject, red,
					    (unsigned int)(s->inuse - s->objsize)))
			return 0;
	} else {
		if ((s->flags & SLAB_POISON) && s->objsize < s->inuse)
			check_bytes_and_report(s, page, p, "Alignment padding", endobject,
					       POISON_INUSE, (unsigned int)(s->inuse - s->objsize));
	}

	if (s->flags & SLAB_POISON) {
		if (!active && (s->flags & __OBJECT_POISON) &&
		    (!check_bytes_and_report(s, page, p, "Poison", p, POISON_FREE,
					     (unsigned int)s->objsize - 1) ||
		     !check_bytes_and_report(s, page, p, "Poison", p + s->objsize - 1, POISON_END,
					     1)))
			return 0;
		/* check_pad_bytes repairs what it finds itself. */
		check_pad_bytes(s, page, p);
	}

	/* An allocated object overlaid by its free pointer has no free pointer to check. */
	if (!s->offset && active)
		return 1;

	if (!check_valid_pointer(s, page, get_freepointer(s, p))) {
		object_err(s, page, p, "Freepointer corrupt");
		/*
		 * Nothing better to do than cut the chain here: the objects after it are lost,
		 * and the slab's count is now wrong, which a later check may report.
		 */
		set_freepointer(s, p, NULL);
		return 0;
	}
	return 1;
}

int check_object(struct kmem_cache *s, struct page *page, void *object, int active)
{
	int ret;

	DEBUG_ENTER();
	ret = __check_object(s, page, object, active);
	DEBUG_LEAVE();
	return ret;
}

/*
 * 2.6.36 passes s->name as an extra first argument to the two count messages below, so the
 * kernel prints the name pointer as the first number; here the numbers are the intended ones.
 */
static int __check_slab(struct kmem_cache *s, struct page *page)
{
	int maxobj;

	if (!PageSlab(page)) {
		slab_err(s, page, "Not a valid slab page");
		return 0;
	}
	maxobj = (int)((PAGE_SIZE << compound_order(page)) / (unsigned long)s->size);
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_CHECK_SLAB_MSG_ARGS)
	/*
	 * Correction: 2.6.36 passed s->name before the two counts, so "%u > max %u" printed the
	 * low half of the name's address and then the first count: "objects <address> > max
	 * <objects>", "inuse <address> > max <inuse>", the numbers a reader needs mislabelled
	 * or missing (slab_err names the cache already). Later kernels pass just the counts.
	 */
	if (page->objects > maxobj) {
		slab_err(s, page, "objects %u > max %u", page->objects, (unsigned int)maxobj);
		return 0;
	}
	if (page->inuse > page->objects) {
		slab_err(s, page, "inuse %u > max %u", page->inuse, page->objects);
		return 0;
	}
#else
	/* what 2.6.36's varargs print: the name pointer as %u, then the first count */
	if (page->objects > maxobj) {
		slab_err(s, page, "objects %u > max %u", (unsigned int)(uintptr_t)s->name,
			 page->objects);
		return 0;
	}
	if (page->inuse > page->objects) {
		slab_err(s, page, "inuse %u > max %u", (unsigned int)(uintptr_t)s->name,
			 page->inuse);
		return 0;
	}
#endif
	/* slab_pad_check repairs what it finds itself. */
	slab_pad_check(s, page);
	return 1;
}

int check_slab(struct kmem_cache *s, struct page *page)
{
	int ret;

	DEBUG_ENTER();
	ret = __check_slab(s, page);
	DEBUG_LEAVE();
	return ret;
}

/*
 * Whether search is on the page's freelist (search == NULL: whether the freelist is sound).
 * Walking it also repairs it: a bad pointer ends the chain, and the object count is set from
 * what was found. The caller holds slab_lock.
 */
static int __on_freelist(struct kmem_cache *s, struct page *page, void *search)
{
	void *fp = page->freelist;
	void *object = NULL;
	unsigned long max_objects;
	int nr = 0;

	while (fp && nr <= page->objects) {
		if (fp == search)
			return 1;
		if (!check_valid_pointer(s, page, fp)) {
			if (object) {
				object_err(s, page, object, "Freechain corrupt");
				set_freepointer(s, object, NULL);
				break;
			}
			slab_err(s, page, "Freepointer corrupt");
			page->freelist = NULL;
			page->inuse = page->objects;
			slab_fix(s, "Freelist cleared");
			return 0;
		}
		object = fp;
		fp = get_freepointer(s, object);
		nr++;
	}

	max_objects = (PAGE_SIZE << compound_order(page)) / (unsigned long)s->size;
	if (max_objects > MAX_OBJS_PER_PAGE)
		max_objects = MAX_OBJS_PER_PAGE;

	if (page->objects != max_objects) {
		slab_err(s, page, "Wrong number of objects. Found %d but should be %d",
			 page->objects, (int)max_objects);
		page->objects = (u16)max_objects;
		slab_fix(s, "Number of objects adjusted.");
	}
	if (page->inuse != page->objects - nr) {
		slab_err(s, page, "Wrong object count. Counter is %d but counted were %d",
			 page->inuse, page->objects - nr);
		page->inuse = (u16)(page->objects - nr);
		slab_fix(s, "Object count adjusted.");
	}
	return search == NULL;
}

int on_freelist(struct kmem_cache *s, struct page *page, void *search)
{
	int ret;

	DEBUG_ENTER();
	ret = __on_freelist(s, page, search);
	DEBUG_LEAVE();
	return ret;
}

/* SLAB_TRACE: every alloc and free of the cache is printed (not a report). */
static void trace(struct kmem_cache *s, struct page *page, void *object, int alloc)
{
	if (!(s->flags & SLAB_TRACE))
		return;
	report_flush();
	debug_line(KERN_INFO, "TRACE %s %s %p inuse=%d fp=%p", s->name,
		   alloc ? "alloc" : "free", object, page->inuse, page->freelist);
	if (!alloc)
		print_section("Object", object, (unsigned int)s->objsize);
	dump_stack();
}

/* ---- the full list: slabs with no free object, kept only with SLAB_STORE_USER ---- */

void add_full(struct kmem_cache_node *n, struct page *page)
{
	spin_lock(&n->list_lock);
	list_add(&page->lru, &n->full);
	spin_unlock(&n->list_lock);
}

void remove_full(struct kmem_cache *s, struct page *page)
{
	struct kmem_cache_node *n;

#ifdef SLUB_BUG_FULL_LIST_ANY_DEBUG
	if (!kmem_cache_debug(s))
#else
	if (!(s->flags & SLAB_STORE_USER))
#endif
		return;
	n = get_node(s, page_to_nid(page));
	spin_lock(&n->list_lock);
	list_del(&page->lru);
	spin_unlock(&n->list_lock);
}

/* ---- the alloc and free paths ---- */

void setup_object_debug(struct kmem_cache *s, struct page *page, void *object)
{
	(void)page;
	if (!(s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON)))
		return;
	init_object(s, object, 0);
	init_tracking(s, object);
}

int alloc_debug_processing(struct kmem_cache *s, struct page *page, void *object,
			   unsigned long addr)
{
	DEBUG_ENTER();
	if (!__check_slab(s, page))
		goto bad;

	if (!__on_freelist(s, page, object)) {
		object_err(s, page, object, "Object already allocated");
		goto bad;
	}

	if (!check_valid_pointer(s, page, object)) {
		object_err(s, page, object, "Freelist Pointer check fails");
		goto bad;
	}

	if (!__check_object(s, page, object, 0))
		goto bad;

	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_ALLOC, addr);
	trace(s, page, object, 1);
#ifdef SLUB_BUG_REDZONE_INACTIVE_ON_ALLOC
	init_object(s, object, 0);
#else
	init_object(s, object, 1);
#endif
	DEBUG_LEAVE();
	return 1;

bad:
	if (PageSlab(page)) {
		/* Treat every object as used so nothing touches the rest of this slab again. */
		slab_fix(s, "Marking all objects used");
		page->inuse = page->objects;
		page->freelist = NULL;
	}
	DEBUG_LEAVE();
	return 0;
}

int free_debug_processing(struct kmem_cache *s, struct page *page, void *object,
			  unsigned long addr)
{
	DEBUG_ENTER();
	if (!__check_slab(s, page))
		goto fail;

	if (!check_valid_pointer(s, page, object)) {
		slab_err(s, page, "Invalid object pointer %p", object);
		goto fail;
	}

	if (__on_freelist(s, page, object)) {
		object_err(s, page, object, "Object already free");
		goto fail;
	}

	if (!__check_object(s, page, object, 1)) {
		/* As in 2.6.36: the object stays allocated, and no FIX line says so. */
		DEBUG_LEAVE();
		return 0;
	}

	if (unlikely(s != page->slab)) {
		if (!PageSlab(page)) {
			slab_err(s, page, "Attempt to free object(%p) outside of slab", object);
		} else if (!page->slab) {
			/* 2.6.36 only printks this; here it is a report like the others. */
			report_start(s->name);
			debug_line(KERN_ERR, "SLUB <none>: no slab for object %p.", object);
			dump_stack();
		} else {
			object_err(s, page, object, "page slab pointer corrupt.");
		}
		goto fail;
	}

	if (!PageSlubFrozen(page) && !page->freelist)
		remove_full(s, page);
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_FREE, addr);
	trace(s, page, object, 0);
	init_object(s, object, 0);
	DEBUG_LEAVE();
	return 1;

fail:
	slab_fix(s, "Object at %p not freed", object);
	DEBUG_LEAVE();
	return 0;
}

/* ---- the slub_debug= boot option ---- */

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/*
 * Takes what follows "slub_debug" on the command line. Both the kernel's own form ("=FZ,dentry",
 * or "" for a bare "slub_debug") and the bare value ("FZ,dentry") are accepted; an empty value
 * means full debugging. As in 2.6.36, 'O' is only seen as the first letter, and then it keeps
 * the default flags and ends the parse, so letters and a cache filter after it are ignored.
 */
int setup_slub_debug(const char *str)
{
	slub_debug = DEBUG_DEFAULT_FLAGS;
	if (*str == '=')
		str++;
	if (!*str)
		goto out; /* no options: full debugging */

	if (*str == ',')
		goto check_slabs; /* full debugging for caches matching the prefix */

	if (lower(*str) == 'o') {
		/* Leave debugging off where it would raise a cache's minimum order. */
		disable_higher_order_debug = 1;
		goto out;
	}

	slub_debug = 0;
	if (*str == '-')
		goto out; /* everything off */

	for (; *str && *str != ','; str++) {
		switch (lower(*str)) {
		case 'f':
			slub_debug |= SLAB_DEBUG_FREE;
			break;
		case 'z':
			slub_debug |= SLAB_RED_ZONE;
			break;
		case 'p':
			slub_debug |= SLAB_POISON;
			break;
		case 'u':
			slub_debug |= SLAB_STORE_USER;
			break;
		case 't':
			slub_debug |= SLAB_TRACE;
			break;
		case 'a':
			slub_debug |= SLAB_FAILSLAB;
			break;
		default:
			printk(KERN_ERR "slub_debug option '%c' unknown. skipped\n", *str);
		}
	}

check_slabs:
	if (*str == ',') {
		slub_snprintf(slub_debug_slabs_text, sizeof(slub_debug_slabs_text), "%s", str + 1);
		slub_debug_slabs = slub_debug_slabs_text;
	}
out:
	return 1;
}

/*
 * The debug flags a new cache gets: slub_debug's, if its name starts with the filter. Note that
 * the power-of-two kmalloc caches are opened under the name "kmalloc" and renamed later, so a
 * filter "kmalloc-" reaches only kmalloc-96 and kmalloc-192 among them, as in the kernel.
 */
unsigned long kmem_cache_flags(unsigned long objsize, unsigned long flags, const char *name,
			       void (*ctor)(void *))
{
	(void)objsize;
	(void)ctor;
	if (slub_debug && (!slub_debug_slabs ||
			   !strncmp(slub_debug_slabs, name, strlen(slub_debug_slabs))))
		flags |= slub_debug;
	return flags;
}

void slub_debug_reset(void)
{
	slub_debug = 0;
	slub_debug_slabs = NULL;
	slub_debug_slabs_text[0] = '\0';
	disable_higher_order_debug = 0;
	report_open = 0;
	report_cut = 0;
	report_len = 0;
	report_cache = NULL;
	debug_reports = 0;
	debug_depth = 0;
	debug_entry_func = NULL;
	debug_entry_file = NULL;
	debug_entry_line = 0;
}
