"""Decision documents: what an outcome produces, how it is built and how anyone checks it.

- ``documents``: issued in the transaction of the decision (procedures.services.record),
  its text filled from the procedure's template (``DecisionTemplate``) and kept;
- ``files``: the tagged PDF (WeasyPrint, PDF/UA-1) with the town's letterhead and a QR
  code of its verification address, built once and attached to the decision's mail;
- ``verification``: what ``/verifier/<code>/`` may say: valid or « révoqué », the title,
  the date and the holder's initials, nothing else.
"""
