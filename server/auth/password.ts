import bcrypt from "bcryptjs";
import { z } from "zod";

// Cost 10 keeps sign-in around 50–100 ms on a small server while staying above bcrypt's safe floor.
const BCRYPT_COST = 10;

export const ZPassword = z.string().min(8, "Passwords need at least 8 characters").max(200);

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, BCRYPT_COST);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}
