import cython

cdef class _Flattener:
    cdef public list lines
    cdef public list pieces
    cdef public Py_ssize_t total_text
    cdef public bint skip_chrome
    cdef public object headline
    cdef public object headline_word
    cdef public list crumbs
    cdef public list tag_boxes

    cpdef flush(self, block, tuple ctx)
    cdef bint _holds_headline(self, str text)
    cdef bint _holds_the_content(self, el, str text)
    cdef bint _wraps_the_page(self, el)
    @cython.locals(stack=list, frame=tuple, ctx=tuple, link=bint, italic=bint, bold=bint, is_block=bint, tail=object)
    cpdef walk(self, start)
    @cython.locals(is_block=bint, keys=list, region=bint, text=object)
    cdef tuple _enter(self, el, block, tuple ctx, bint link, bint italic, bint bold)
