;;; bench/clips/subset.clp - the benchmark's policy subset (bench/policies/subset.rv)
;;; as CLIPS rules.  bench/clips/run loads, in this order: globals.clp (the run's
;;; date, horizon and the working-day calendar, written by bench/clips/run), this
;;; file, then the facts exported from the store by bench/clips/export.sql.
;;;
;;; Facts (one per case of the three kinds, the case joined with its customer):
;;;   (case (id "K-..") (customer "C-..") (kind complaint) (severity major|nil ...)
;;;         (closed DAY|nil) (tier large|important|ordinary) (dnc 0|1)
;;;         (skey "16 hex") (oc "O-..") (or "O-..") (od1 ..) (od2 ..) (od3 ..) (od4 ..))
;;;   (done "O-..")   an obligation with a completed visit
;;; CLIPS has no SHA-256 and no date parsing: the export precomputes, for every
;;; case, the obligation ids its kind's policy would give it (oc: bench_complaint
;;; 1.1, or: bench_repair_sample 1.1, od1..od4: bench_discharge 1.1..1.4; the other
;;; kinds' slots stay nil), a repair's sampling key (skey), and closed_at as a day
;;; number (days since 1970-01-01). bench/clips/run loads the facts in batches that
;;; need nothing from each other (export.sql), resetting between. Everything else
;;; (selection, dates, working days, months, sampling ranks, done, status, horizon)
;;; is computed here.

(deftemplate case
  (slot id) (slot customer) (slot kind) (slot subtype) (slot severity) (slot closed)
  (slot tier) (slot dnc) (slot skey) (slot oc) (slot or) (slot od1) (slot od2) (slot od3) (slot od4))
(deftemplate done (slot id))
(deftemplate cand (slot group) (slot key) (slot case) (slot customer) (slot closed) (slot oid))
(deftemplate group (slot g))

;;; ---- dates: day numbers <-> civil (H. Hinnant's algorithms, days >= 0) ----
(deffunction days-from-civil (?y ?m ?d)
  (if (<= ?m 2) then (bind ?y (- ?y 1)))
  (bind ?era (div ?y 400))
  (bind ?yoe (- ?y (* ?era 400)))
  (bind ?mp (if (> ?m 2) then (- ?m 3) else (+ ?m 9)))
  (bind ?doy (+ (div (+ (* 153 ?mp) 2) 5) (- ?d 1)))
  (bind ?doe (+ (* ?yoe 365) (div ?yoe 4) (- 0 (div ?yoe 100)) ?doy))
  (+ (* ?era 146097) ?doe -719468))

(deffunction civil (?z)
  (bind ?z (+ ?z 719468))
  (bind ?era (div ?z 146097))
  (bind ?doe (- ?z (* ?era 146097)))
  (bind ?yoe (div (- (+ ?doe (div ?doe 36524)) (div ?doe 1460) (div ?doe 146096)) 365))
  (bind ?y (+ ?yoe (* ?era 400)))
  (bind ?doy (- ?doe (- (+ (* 365 ?yoe) (div ?yoe 4)) (div ?yoe 100))))
  (bind ?mp (div (+ (* 5 ?doy) 2) 153))
  (bind ?d (+ (- ?doy (div (+ (* 153 ?mp) 2) 5)) 1))
  (bind ?m (if (< ?mp 10) then (+ ?mp 3) else (- ?mp 9)))
  (if (<= ?m 2) then (bind ?y (+ ?y 1)))
  (create$ ?y ?m ?d))

(deffunction month-len (?y ?m)
  (if (= ?m 2) then
    (if (or (and (= (mod ?y 4) 0) (<> (mod ?y 100) 0)) (= (mod ?y 400) 0)) then 29 else 28)
   else (nth$ ?m (create$ 31 28 31 30 31 30 31 31 30 31 30 31))))

;;; N months after a day, clamped to the end of the month
(deffunction add-months (?day ?n)
  (bind ?c (civil ?day))
  (bind ?t (+ (* (nth$ 1 ?c) 12) (- (nth$ 2 ?c) 1) ?n))
  (bind ?y (div ?t 12))
  (bind ?m (+ (mod ?t 12) 1))
  (bind ?ml (month-len ?y ?m))
  (days-from-civil ?y ?m (min (nth$ 3 ?c) ?ml)))

(deffunction fmt-day (?day)
  (bind ?c (civil ?day))
  (format nil "%04d-%02d-%02d" (nth$ 1 ?c) (nth$ 2 ?c) (nth$ 3 ?c)))

(deffunction first-of-month (?day)
  (bind ?c (civil ?day))
  (days-from-civil (nth$ 1 ?c) (nth$ 2 ?c) 1))

;;; working days: ?*cal* holds 1/0 per day from ?*cal-base* (globals.clp);
;;; outside it, Monday to Friday
(deffunction workday (?day)
  (bind ?i (+ (- ?day ?*cal-base*) 1))
  (if (and (>= ?i 1) (<= ?i (length$ ?*cal*))) then (= (nth$ ?i ?*cal*) 1)
   else (< (mod (+ ?day 3) 7) 5)))

(deffunction add-workdays (?day ?n)
  (while (> ?n 0) do
    (bind ?day (+ ?day 1))
    (if (workday ?day) then (bind ?n (- ?n 1))))
  ?day)

;;; ---- obligations: every policy asserts (ob ...); one rule lists those not done ----
(deftemplate ob (slot oid) (slot policy) (slot customer) (slot case) (slot from) (slot by) (slot channels)
  (slot assignees) (slot priority))

(defrule list-obligation
  (declare (salience -20))
  (ob (oid ?oid) (policy ?pol) (customer ?cu) (case ?id) (from ?from&:(<= ?from ?*horizon-day*)) (by ?by)
      (channels ?ch) (assignees ?as) (priority ?p))
  (not (done (id ?oid)))
  =>
  (bind ?status (if (> ?from ?*as-of*) then "upcoming" else (if (< ?by ?*as-of*) then "overdue" else "due")))
  (printout out ?oid "," ?pol ",1," ?cu "," ?id "," (fmt-day ?from) "," (fmt-day ?by) ",\"" ?ch "\"," ?as ","
            ?p "," ?status crlf))

(deffunction tier-priority (?tier)
  (if (eq ?tier large) then 1 else (if (eq ?tier important) then 2 else 3)))

;;; ---- bench_complaint: within 3 working days after closed_at ----
(defrule complaint
  (case (kind complaint) (dnc 0) (severity ?sev) (id ?id) (customer ?cu) (tier ?tier) (oc ?oid)
        (closed ?t&~nil&:(and (>= ?t ?*effective*) (<= ?t ?*as-of*))))
  =>
  (assert (ob (oid ?oid) (policy bench_complaint) (customer ?cu) (case ?id) (from ?t) (by (add-workdays ?t 3))
              (channels "phone,onsite")
              (assignees (if (eq ?sev major) then project_manager else department_supervisor+steward))
              (priority (tier-priority ?tier)))))

;;; ---- bench_repair_sample: 30 % per month, drawn once the month is over ----
(defrule repair-candidate
  (case (kind repair) (dnc 0) (id ?id) (customer ?cu) (skey ?k) (or ?oid) (closed ?t&~nil))
  =>
  (bind ?g (first-of-month ?t))
  (assert (cand (group ?g) (key ?k) (case ?id) (customer ?cu) (closed ?t) (oid ?oid)))
  (assert (group (g ?g))))

(deffunction cand> (?a ?b)  ; sort's predicate: TRUE when ?a goes after ?b
  (bind ?c (str-compare (fact-slot-value ?a key) (fact-slot-value ?b key)))
  (if (= ?c 0) then (bind ?c (str-compare (fact-slot-value ?a case) (fact-slot-value ?b case))))
  (> ?c 0))

(defrule repair-draw
  (declare (salience -10))
  (group (g ?g&:(<= (add-months ?g 1) ?*as-of*)))
  =>
  (bind ?all (sort cand> (find-all-facts ((?c cand)) (= ?c:group ?g))))
  (bind ?n (length$ ?all))
  (bind ?k (div (+ (* 3000 ?n) 9999) 10000))
  (loop-for-count (?i 1 ?k) do
    (bind ?c (nth$ ?i ?all))
    (bind ?t (fact-slot-value ?c closed))
    (if (and (>= ?t ?*effective*) (<= ?t ?*as-of*)) then
      (assert (ob (oid (fact-slot-value ?c oid)) (policy bench_repair_sample) (customer (fact-slot-value ?c customer))
                  (case (fact-slot-value ?c case)) (from ?t) (by (+ ?t 7)) (channels "phone,onsite")
                  (assignees steward) (priority 3))))))

;;; ---- bench_discharge: at 1 day, 1 week, 1 month, 3 months after closed_at ----
(defrule discharge
  (case (kind discharge) (dnc 0) (id ?id) (customer ?cu) (severity ?sev) (od1 ?o1) (od2 ?o2) (od3 ?o3) (od4 ?o4)
        (closed ?t&~nil&:(and (>= ?t ?*effective*) (<= ?t ?*as-of*))))
  =>
  (bind ?p (if (eq ?sev critical) then 1 else 3))
  (bind ?due (create$ (+ ?t 1) (+ ?t 7) (add-months ?t 1) (add-months ?t 3)))
  (bind ?oids (create$ ?o1 ?o2 ?o3 ?o4))
  (loop-for-count (?i 1 4) do
    (bind ?d (nth$ ?i ?due))
    (assert (ob (oid (nth$ ?i ?oids)) (policy bench_discharge) (customer ?cu) (case ?id) (from ?d) (by ?d)
                (channels "phone,onsite,letter") (assignees attending_doctor) (priority ?p)))))
