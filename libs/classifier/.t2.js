const {detectPii}=require('./dist/pii.js');
for (const t of ['SSN 123-45-6789','my NI number is QQ 12 34 56 C','DNI 12345678Z']) console.log(t, detectPii(t));
