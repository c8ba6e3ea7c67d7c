;; The byte prefilter (prefilter.ts): says whether a file's bytes may hold a
;; key the engine would report. It must never say no where the engine finds
;; something; it may say yes where the engine then finds nothing.
;; `npm run wasm:generate` assembles this file into prefilter-wasm.ts.
;;
;; Sixteen bytes at a time, it classifies each byte and the one after it with
;; table lookups (i8x16.swizzle by high and low nibble), and looks closer only at
;;   "k_"     after s, r or p and before l, t, p or o, where a key could start
;;            (the test of chars.ts's boundaryBefore, escapes included);
;;   "wh"     "whsec_";
;;   "%5", "\u", "\x"  "%5F", "\u005F", "\x5F" (either case) after "k" or "c";
;;   X Y Z z  the anchors of the base64 needles (base64.ts), compared in full.
;;
;; The caller zeroes the 16 bytes before the input and the 32 after it, so
;; looking behind and ahead needs no bounds checks. Small helpers are written
;; out in place: this V8 does not inline calls between WebAssembly functions.

(module
  (memory (export "memory") 1)

  ;; After the letter or digit $c just before a key's first character $s:
  ;; could $c be the last character of an escape (\n, %22, \x22, \u0022)?
  (func $escapeEnd (param $s i32) (param $c i32) (result i32)
    (local $h i32)
    (if (i32.eq (i32.load8_u (i32.sub (local.get $s) (i32.const 2))) (i32.const 92)) (then (return (i32.const 1))))
    ;; From here on $c must be a hex digit, and so must the character before it.
    (if (i32.eqz (i32.or
          (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))
          (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97)) (i32.const 6))))
      (then (return (i32.const 0))))
    (local.set $h (i32.load8_u (i32.sub (local.get $s) (i32.const 2))))
    (if (i32.eqz (i32.or
          (i32.lt_u (i32.sub (local.get $h) (i32.const 48)) (i32.const 10))
          (i32.lt_u (i32.sub (i32.or (local.get $h) (i32.const 32)) (i32.const 97)) (i32.const 6))))
      (then (return (i32.const 0))))
    (local.set $h (i32.load8_u (i32.sub (local.get $s) (i32.const 3))))
    (if (i32.eq (local.get $h) (i32.const 37)) (then (return (i32.const 1))))
    (if (i32.and (i32.eq (local.get $h) (i32.const 120))
                 (i32.eq (i32.load8_u (i32.sub (local.get $s) (i32.const 4))) (i32.const 92)))
      (then (return (i32.const 1))))
    ;; \uXXXX: the two characters before the last two must be hex digits too; "u" and "\" before them.
    (i32.and
      (i32.and
        (i32.eq (i32.load8_u (i32.sub (local.get $s) (i32.const 6))) (i32.const 92))
        (i32.eq (i32.load8_u (i32.sub (local.get $s) (i32.const 5))) (i32.const 117)))
      (i32.and
        (i32.or
          (i32.lt_u (i32.sub (local.get $h) (i32.const 48)) (i32.const 10))
          (i32.lt_u (i32.sub (i32.or (local.get $h) (i32.const 32)) (i32.const 97)) (i32.const 6)))
        (i32.or
          (i32.lt_u (i32.sub (i32.load8_u (i32.sub (local.get $s) (i32.const 4))) (i32.const 48)) (i32.const 10))
          (i32.lt_u (i32.sub (i32.or (i32.load8_u (i32.sub (local.get $s) (i32.const 4))) (i32.const 32)) (i32.const 97)) (i32.const 6))))))

  ;; "k" at $p: is it the "k_" of a prefix where a key could start?
  (func $plain (param $p i32) (result i32)
    (local $c i32)
    (if (i32.ne (i32.load8_u (i32.add (local.get $p) (i32.const 1))) (i32.const 95)) (then (return (i32.const 0))))
    (local.set $c (i32.load8_u (i32.sub (local.get $p) (i32.const 1))))
    (if (i32.eqz (i32.or (i32.eq (local.get $c) (i32.const 115))
                 (i32.or (i32.eq (local.get $c) (i32.const 114)) (i32.eq (local.get $c) (i32.const 112)))))
      (then (return (i32.const 0))))
    (local.set $c (i32.load8_u (i32.add (local.get $p) (i32.const 2))))
    (if (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 108)) (i32.eq (local.get $c) (i32.const 116)))
                         (i32.or (i32.eq (local.get $c) (i32.const 112)) (i32.eq (local.get $c) (i32.const 111)))))
      (then (return (i32.const 0))))
    ;; The character before the prefix: anything but a letter or digit leaves the engine to decide.
    (local.set $c (i32.load8_u (i32.sub (local.get $p) (i32.const 2))))
    (if (i32.eqz (i32.or
          (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))
          (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97)) (i32.const 26))))
      (then (return (i32.const 1))))
    (call $escapeEnd (i32.sub (local.get $p) (i32.const 1)) (local.get $c)))

  ;; "%" or "\" at $p: an escape that encodes "_", right after "k" or "c".
  (func $escape (param $p i32) (result i32)
    (local $c i32)
    (local.set $c (i32.load8_u (i32.sub (local.get $p) (i32.const 1))))
    (if (i32.eqz (i32.or (i32.eq (local.get $c) (i32.const 107)) (i32.eq (local.get $c) (i32.const 99))))
      (then (return (i32.const 0))))
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 37))
      (then (return (i32.and
        (i32.eq (i32.load8_u (i32.add (local.get $p) (i32.const 1))) (i32.const 53))
        (i32.eq (i32.or (i32.load8_u (i32.add (local.get $p) (i32.const 2))) (i32.const 32)) (i32.const 102))))))
    (local.set $c (i32.load8_u (i32.add (local.get $p) (i32.const 1))))
    (if (i32.eq (local.get $c) (i32.const 120))
      (then (return (i32.and
        (i32.eq (i32.load8_u (i32.add (local.get $p) (i32.const 2))) (i32.const 53))
        (i32.eq (i32.or (i32.load8_u (i32.add (local.get $p) (i32.const 3))) (i32.const 32)) (i32.const 102))))))
    (i32.and
      (i32.and
        (i32.eq (local.get $c) (i32.const 117))
        (i32.eq (i32.load16_u (i32.add (local.get $p) (i32.const 2))) (i32.const 0x3030)))
      (i32.and
        (i32.eq (i32.load8_u (i32.add (local.get $p) (i32.const 4))) (i32.const 53))
        (i32.eq (i32.or (i32.load8_u (i32.add (local.get $p) (i32.const 5))) (i32.const 32)) (i32.const 102)))))

  ;; A base64 needle whose anchor is the byte at $p. $index holds, for each
  ;; byte value, the first and the end entry (u16 each) of its needles in the
  ;; table; each 8-byte entry: the anchor's index in the needle, the needle's
  ;; length, two unused bytes, the needle's address (i32).
  (func $needle (param $p i32) (param $index i32) (param $table i32) (result i32)
    (local $entry i32) (local $end i32) (local $start i32) (local $text i32) (local $k i32) (local $length i32)
    (local.set $k (i32.add (local.get $index) (i32.shl (i32.load8_u (local.get $p)) (i32.const 2))))
    (local.set $entry (i32.add (local.get $table) (i32.shl (i32.load16_u (local.get $k)) (i32.const 3))))
    (local.set $end (i32.add (local.get $table) (i32.shl (i32.load16_u offset=2 (local.get $k)) (i32.const 3))))
    (block $none
      (loop $entries
        (br_if $none (i32.ge_u (local.get $entry) (local.get $end)))
        (local.set $start (i32.sub (local.get $p) (i32.load8_u (local.get $entry))))
        (local.set $length (i32.load8_u offset=1 (local.get $entry)))
        (local.set $text (i32.load offset=4 (local.get $entry)))
        (local.set $k (i32.const 0))
        (block $differs
          (loop $bytes
            (if (i32.ge_u (local.get $k) (local.get $length)) (then (return (i32.const 1))))
            (br_if $differs (i32.ne (i32.load8_u (i32.add (local.get $start) (local.get $k)))
                                    (i32.load8_u (i32.add (local.get $text) (local.get $k)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $bytes)))
        (local.set $entry (i32.add (local.get $entry) (i32.const 8)))
        (br $entries)))
    (i32.const 0))

  ;; Finds the 16-byte blocks from $p to $end with bytes worth a closer look
  ;; and writes each block's address and lane mask (two i32) from $out, until
  ;; $outEnd; stores the end of what it wrote at $outEnd and returns where it
  ;; stopped. It calls nothing, so that its SIMD values stay in registers.
  (func $blocks (param $p i32) (param $end i32) (param $out i32) (param $outEnd i32) (result i32)
    (local $v v128) (local $n v128) (local $bits i32)
    (local $nibble v128) (local $anchors v128) (local $zero v128)
    (local $high v128) (local $low v128) (local $nextHigh v128) (local $nextLow v128)
    (local.set $nibble (i8x16.splat (i32.const 15)))
    (local.set $anchors (i8x16.splat (i32.const 0x30)))
    ;; The class tables, by high and low nibble, of a byte and of the byte after it.
    (local.set $high (v128.const i8x16 0 0 0x04 0 0 0x18 0x01 0x22 0 0 0 0 0 0 0 0))
    (local.set $low (v128.const i8x16 0 0 0 0 0 0x04 0 0x02 0x10 0x10 0x30 0x01 0x08 0 0 0))
    (local.set $nextHigh (v128.const i8x16 0 0 0 0x04 0 0x01 0x02 0x08 0 0 0 0 0 0 0 0))
    (local.set $nextLow (v128.const i8x16 0 0 0 0 0 0x0c 0 0 0x0a 0 0 0 0 0 0 0x01))
    (block $stop
      (loop $next
        (br_if $stop (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $stop (i32.ge_u (local.get $out) (local.get $outEnd)))
        (local.set $v (v128.load align=1 (local.get $p)))
        ;; A byte's class is the AND of two table lookups, by its high and its
        ;; low nibble: bits k 1, w 2, % 4, \ 8, X/Y/Z 16, z 32. The next byte
        ;; is classed the same way, by what must follow: "_" 1 (after k),
        ;; "h" 2 (after w), "5" 4 (after %), "u" or "x" 8 (after \); anchors
        ;; take any next byte. A lane is looked at when the two agree.
        (local.set $n (v128.load offset=1 align=1 (local.get $p)))
        (local.set $bits (i32.xor (i32.const 0xffff) (i8x16.bitmask (i8x16.eq
          (v128.and
            (v128.and
              (i8x16.swizzle
                (local.get $high)
                (v128.and (i16x8.shr_u (local.get $v) (i32.const 4)) (local.get $nibble)))
              (i8x16.swizzle
                (local.get $low)
                (v128.and (local.get $v) (local.get $nibble))))
            (v128.or
              (local.get $anchors)
              (v128.and
                (i8x16.swizzle
                  (local.get $nextHigh)
                  (v128.and (i16x8.shr_u (local.get $n) (i32.const 4)) (local.get $nibble)))
                (i8x16.swizzle
                  (local.get $nextLow)
                  (v128.and (local.get $n) (local.get $nibble))))))
          (local.get $zero)))))
        ;; Written whatever the mask, and kept only when it has lanes: no branch to mispredict.
        (i32.store (local.get $out) (local.get $p))
        (i32.store offset=4 (local.get $out) (local.get $bits))
        (local.set $out (i32.add (local.get $out) (i32.shl (i32.ne (local.get $bits) (i32.const 0)) (i32.const 3))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (i32.store (local.get $outEnd) (local.get $out))
    (local.get $p))

  ;; 1 if the $length bytes at $input may hold a key, else 0. $out..$outEnd
  ;; (and four bytes after) is scratch space for $blocks.
  (func (export "mayHoldKey") (param $input i32) (param $length i32) (param $index i32) (param $table i32) (param $out i32) (param $outEnd i32) (result i32)
    (local $p i32) (local $end i32) (local $found i32) (local $entry i32) (local $bits i32) (local $at i32) (local $c i32)
    (local.set $p (local.get $input))
    (local.set $end (i32.add (local.get $input) (local.get $length)))
    (block $clean
      (loop $more
        (br_if $clean (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $p (call $blocks (local.get $p) (local.get $end) (local.get $out) (local.get $outEnd)))
        (local.set $found (i32.load (local.get $outEnd)))
        (local.set $entry (local.get $out))
        (block $entries
          (loop $each
            (br_if $entries (i32.ge_u (local.get $entry) (local.get $found)))
            (local.set $bits (i32.load offset=4 (local.get $entry)))
            (block $done
              (loop $lanes
                (br_if $done (i32.eqz (local.get $bits)))
                (local.set $at (i32.add (i32.load (local.get $entry)) (i32.ctz (local.get $bits))))
                (local.set $c (i32.load8_u (local.get $at)))
                (if (i32.eq (local.get $c) (i32.const 107))
                  (then (if (call $plain (local.get $at)) (then (return (i32.const 1)))))
                  (else (if (i32.eq (local.get $c) (i32.const 119))
                    (then (if (i32.and
                          (i32.eq (i32.load offset=1 align=1 (local.get $at)) (i32.const 0x63657368)) ;; "hsec"
                          (i32.eq (i32.load8_u offset=5 (local.get $at)) (i32.const 95)))
                        (then (return (i32.const 1)))))
                    (else (if (i32.or (i32.eq (local.get $c) (i32.const 37)) (i32.eq (local.get $c) (i32.const 92)))
                      (then (if (call $escape (local.get $at)) (then (return (i32.const 1)))))
                      (else (if (call $needle (local.get $at) (local.get $index) (local.get $table)) (then (return (i32.const 1))))))))))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br $lanes)))
            (local.set $entry (i32.add (local.get $entry) (i32.const 8)))
            (br $each)))
        (br $more)))
    (i32.const 0))
)
