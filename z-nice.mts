import { execSync } from "node:child_process";
import { hashPassword, verifyPassword } from "./server/auth/password.ts";
const h = await hashPassword("quiet-otter-drums-lantern");
console.log(h.slice(0, 30), await verifyPassword("quiet-otter-drums-lantern", h), await verifyPassword("nope", h));
console.log(execSync(`ps -L -o tid,ni,comm -p ${process.pid}`).toString());
