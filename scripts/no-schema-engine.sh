#!/bin/sh
echo "prisma schema engine is not available offline; apply migrations with: npm run db:migrate" >&2
exit 1
