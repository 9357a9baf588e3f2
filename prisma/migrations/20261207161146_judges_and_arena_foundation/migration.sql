-- CreateEnum
CREATE TYPE "PairPolicy" AS ENUM ('uniform', 'active');

-- CreateEnum
CREATE TYPE "UserKind" AS ENUM ('human', 'model');

-- AlterEnum
ALTER TYPE "TaskType" ADD VALUE 'comparison';

-- AlterTable
ALTER TABLE "judgments" ADD COLUMN     "judge_confidence" DOUBLE PRECISION,
ADD COLUMN     "judge_run_id" UUID,
ADD COLUMN     "position_inconsistent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "source" "UserKind" NOT NULL DEFAULT 'human';

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "arena" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "judging" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "pair_policy" "PairPolicy" NOT NULL DEFAULT 'uniform';

-- AlterTable
ALTER TABLE "responses" ADD COLUMN     "self_identifies" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "judge_endpoint_id" UUID,
ADD COLUMN     "kind" "UserKind" NOT NULL DEFAULT 'human';

-- CreateTable
CREATE TABLE "arena_pairs" (
    "project_id" UUID NOT NULL,
    "model_a" TEXT NOT NULL,
    "model_b" TEXT NOT NULL,
    "battles" INTEGER NOT NULL DEFAULT 0,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,

    CONSTRAINT "arena_pairs_pkey" PRIMARY KEY ("project_id","model_a","model_b")
);

-- CreateTable
CREATE TABLE "judge_template_versions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "judge_template_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "judge_runs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "endpoint_id" UUID,
    "judge_user_id" UUID NOT NULL,
    "requested_by_id" UUID,
    "template_version" INTEGER NOT NULL DEFAULT 0,
    "options" JSONB NOT NULL DEFAULT '{}',
    "status" "GenerationStatus" NOT NULL DEFAULT 'queued',
    "planned" BOOLEAN NOT NULL DEFAULT false,
    "tasks_total" INTEGER NOT NULL DEFAULT 0,
    "tasks_done" INTEGER NOT NULL DEFAULT 0,
    "tasks_failed" INTEGER NOT NULL DEFAULT 0,
    "items_total" INTEGER NOT NULL DEFAULT 0,
    "items_judged" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "judge_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "judge_calls" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "run_id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "order" INTEGER NOT NULL,
    "display_order" TEXT[],
    "state" "GenerationTaskState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "verdict" JSONB,
    "raw" TEXT,
    "error" TEXT,
    "latency_ms" INTEGER,
    "usage" JSONB,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "judge_calls_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "judge_template_versions_project_id_version_key" ON "judge_template_versions"("project_id", "version");

-- CreateIndex
CREATE INDEX "judge_runs_project_id_created_at_idx" ON "judge_runs"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "judge_calls_run_id_state_item_id_idx" ON "judge_calls"("run_id", "state", "item_id");

-- CreateIndex
CREATE INDEX "judge_calls_item_id_idx" ON "judge_calls"("item_id");

-- CreateIndex
CREATE UNIQUE INDEX "judge_calls_run_id_item_id_order_key" ON "judge_calls"("run_id", "item_id", "order");

-- CreateIndex
CREATE UNIQUE INDEX "users_judge_endpoint_id_key" ON "users"("judge_endpoint_id");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_judge_endpoint_id_fkey" FOREIGN KEY ("judge_endpoint_id") REFERENCES "model_endpoints"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_judge_run_id_fkey" FOREIGN KEY ("judge_run_id") REFERENCES "judge_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "arena_pairs" ADD CONSTRAINT "arena_pairs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_template_versions" ADD CONSTRAINT "judge_template_versions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_template_versions" ADD CONSTRAINT "judge_template_versions_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_runs" ADD CONSTRAINT "judge_runs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_runs" ADD CONSTRAINT "judge_runs_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "model_endpoints"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_runs" ADD CONSTRAINT "judge_runs_judge_user_id_fkey" FOREIGN KEY ("judge_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_runs" ADD CONSTRAINT "judge_runs_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_calls" ADD CONSTRAINT "judge_calls_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "judge_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "judge_calls" ADD CONSTRAINT "judge_calls_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "items"("id") ON DELETE CASCADE ON UPDATE CASCADE;
