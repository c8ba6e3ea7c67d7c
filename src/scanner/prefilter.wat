;; The byte prefilter (prefilter.ts): says whether a file's bytes may hold a
;; key the engine would report. It must never say no where the engine finds
;; something; it may say yes where the engine then finds nothing.
;; `npm run wasm:generate` assembles this file into prefilter-wasm.ts.
;;
;; Sixteen bytes at a time, it compares each byte and the one after it with
;; the characters below (i8x16.eq), and looks closer only at
;;   "k_"     after s, r or p, where a key could start (the test of chars.ts's
;;            boundaryBefore, escapes included), then a mode word and sixteen
;;            letters or digits;
;;   "wh"     "whsec_" and sixteen letters or digits;
;;   "%5", "\u", "\x"  "%5F", "\u005F", "\x5F" (either case) after "sk", "rk",
;;            "pk" or "whsec";
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

  ;; Sixteen letters or digits from $at: every rule's body is longer, so a
  ;; prefix followed by less is no key ("sk_live_mode").
  (func $alnum16 (param $at i32) (result i32)
    (local $v v128)
    (local.set $v (v128.load align=1 (local.get $at)))
    (i8x16.all_true (v128.or
      (i8x16.lt_u (i8x16.sub (local.get $v) (i8x16.splat (i32.const 48))) (i8x16.splat (i32.const 10)))
      (i8x16.lt_u (i8x16.sub (v128.or (local.get $v) (i8x16.splat (i32.const 32))) (i8x16.splat (i32.const 97))) (i8x16.splat (i32.const 26))))))

  ;; After "k_" at $p - 2: a mode word ("live_", "test_", "prod_"; "org_",
  ;; perhaps then "live_" or "test_") and the start of a body.
  (func $body (param $q i32) (result i32)
    (local $word i32)
    (local.set $word (i32.load align=1 (local.get $q)))
    (if (i32.and
          (i32.or (i32.or (i32.eq (local.get $word) (i32.const 0x6576696c)) (i32.eq (local.get $word) (i32.const 0x74736574))) ;; "live", "test"
                  (i32.eq (local.get $word) (i32.const 0x646f7270))) ;; "prod"
          (i32.eq (i32.load8_u offset=4 (local.get $q)) (i32.const 95)))
      (then (return (call $alnum16 (i32.add (local.get $q) (i32.const 5))))))
    (if (i32.ne (local.get $word) (i32.const 0x5f67726f)) (then (return (i32.const 0)))) ;; "org_"
    (if (call $alnum16 (i32.add (local.get $q) (i32.const 4))) (then (return (i32.const 1))))
    (local.set $word (i32.load offset=4 align=1 (local.get $q)))
    (i32.and
      (i32.or (i32.eq (local.get $word) (i32.const 0x6576696c)) (i32.eq (local.get $word) (i32.const 0x74736574)))
      (i32.and
        (i32.eq (i32.load8_u offset=8 (local.get $q)) (i32.const 95))
        (call $alnum16 (i32.add (local.get $q) (i32.const 9))))))

  ;; "k" at $p: is it the "k_" of a prefix, where a key could start, with a body?
  (func $plain (param $p i32) (result i32)
    (local $c i32)
    (if (i32.ne (i32.load8_u (i32.add (local.get $p) (i32.const 1))) (i32.const 95)) (then (return (i32.const 0))))
    (local.set $c (i32.load8_u (i32.sub (local.get $p) (i32.const 1))))
    (if (i32.eqz (i32.or (i32.eq (local.get $c) (i32.const 115))
                 (i32.or (i32.eq (local.get $c) (i32.const 114)) (i32.eq (local.get $c) (i32.const 112)))))
      (then (return (i32.const 0))))
    ;; The character before the prefix: anything but a letter or digit leaves the engine to decide.
    (local.set $c (i32.load8_u (i32.sub (local.get $p) (i32.const 2))))
    (if (i32.or
          (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))
          (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97)) (i32.const 26)))
      (then (if (i32.eqz (call $escapeEnd (i32.sub (local.get $p) (i32.const 1)) (local.get $c))) (then (return (i32.const 0))))))
    (call $body (i32.add (local.get $p) (i32.const 2))))

  ;; "%" or "\" at $p: an escape that encodes "_", right after "sk", "rk", "pk" or "whsec".
  (func $escape (param $p i32) (result i32)
    (local $c i32)
    ;; Right after "sk", "rk", "pk" or "whsec".
    (local.set $c (i32.load8_u (i32.sub (local.get $p) (i32.const 2))))
    (if (i32.eqz (i32.or
          (i32.and (i32.eq (i32.load8_u (i32.sub (local.get $p) (i32.const 1))) (i32.const 107))
                   (i32.or (i32.eq (local.get $c) (i32.const 115))
                           (i32.or (i32.eq (local.get $c) (i32.const 114)) (i32.eq (local.get $c) (i32.const 112)))))
          (i32.and (i32.eq (i32.load8_u (i32.sub (local.get $p) (i32.const 1))) (i32.const 99))
                   (i32.eq (i32.load align=1 (i32.sub (local.get $p) (i32.const 5))) (i32.const 0x65736877))))) ;; "whse"
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
    (local $k v128) (local $w v128) (local $percent v128) (local $backslash v128)
    (local $X v128) (local $Y v128) (local $Z v128) (local $z v128)
    (local $underscore v128) (local $h v128) (local $five v128) (local $u v128) (local $x v128)
    (local.set $k (i8x16.splat (i32.const 107)))
    (local.set $w (i8x16.splat (i32.const 119)))
    (local.set $percent (i8x16.splat (i32.const 37)))
    (local.set $backslash (i8x16.splat (i32.const 92)))
    (local.set $X (i8x16.splat (i32.const 88)))
    (local.set $Y (i8x16.splat (i32.const 89)))
    (local.set $Z (i8x16.splat (i32.const 90)))
    (local.set $z (i8x16.splat (i32.const 122)))
    (local.set $underscore (i8x16.splat (i32.const 95)))
    (local.set $h (i8x16.splat (i32.const 104)))
    (local.set $five (i8x16.splat (i32.const 53)))
    (local.set $u (i8x16.splat (i32.const 117)))
    (local.set $x (i8x16.splat (i32.const 120)))
    (block $stop
      (loop $next
        (br_if $stop (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $stop (i32.ge_u (local.get $out) (local.get $outEnd)))
        (local.set $v (v128.load align=1 (local.get $p)))
        (local.set $n (v128.load offset=1 align=1 (local.get $p)))
        ;; A lane is looked at for "k_", "wh", "%5", "\u", "\x" or a base64 anchor.
        (local.set $bits (i8x16.bitmask (v128.or
          (v128.or
            (v128.or
              (v128.and (i8x16.eq (local.get $v) (local.get $k)) (i8x16.eq (local.get $n) (local.get $underscore)))
              (v128.and (i8x16.eq (local.get $v) (local.get $w)) (i8x16.eq (local.get $n) (local.get $h))))
            (v128.or
              (v128.and (i8x16.eq (local.get $v) (local.get $percent)) (i8x16.eq (local.get $n) (local.get $five)))
              (v128.and (i8x16.eq (local.get $v) (local.get $backslash))
                        (v128.or (i8x16.eq (local.get $n) (local.get $u)) (i8x16.eq (local.get $n) (local.get $x))))))
          (v128.or
            (v128.or (i8x16.eq (local.get $v) (local.get $X)) (i8x16.eq (local.get $v) (local.get $Y)))
            (v128.or (i8x16.eq (local.get $v) (local.get $Z)) (i8x16.eq (local.get $v) (local.get $z)))))))
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
                        (then (if (call $alnum16 (i32.add (local.get $at) (i32.const 6))) (then (return (i32.const 1)))))))
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
